#include "kbuild/manifest.h"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/json_bytes.h"

namespace kmeta::kbuild {

namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

std::string hex(const unsigned char* d, unsigned n) {
  std::string s;
  for (unsigned i = 0; i < n; ++i) s += fmt::format("{:02x}", d[i]);
  return s;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &n, EVP_sha256(), nullptr);
  return hex(md, n);
}

std::optional<std::string> sha256_file(const std::string& path, std::string* error) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) {
    if (error) *error = fmt::format("{}: {}", path, std::strerror(errno));
    return std::nullopt;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) EVP_DigestUpdate(ctx.get(), buf, n);
  if (std::ferror(f.get())) {
    if (error) *error = fmt::format("{}: read error", path);
    return std::nullopt;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  return hex(md, len);
}

bool describe_outputs(const std::string& build_dir, std::vector<OutputFile>* outputs, Diagnostics* diags) {
  for (OutputFile& o : *outputs) {
    std::string full = o.path.empty() || o.path[0] == '/' ? o.path : build_dir + "/" + o.path;
    struct stat st;
    if (::stat(full.c_str(), &st) != 0) {
      diags->error({}, fmt::format("expected output {} is missing", full));
      return false;
    }
    o.size = static_cast<uint64_t>(st.st_size);
    std::string error;
    auto h = sha256_file(full, &error);
    if (!h) {
      diags->error(Location{FileName(full)}, error.substr(std::min(error.size(), full.size() + 2)));
      return false;
    }
    o.sha256 = *h;
  }
  std::sort(outputs->begin(), outputs->end(),
            [](const OutputFile& a, const OutputFile& b) { return a.path < b.path; });
  return true;
}

nlohmann::json to_json(const Manifest& m) {
  nlohmann::json j;
  j["format"] = 1;
  nlohmann::json in;
  in["kernel_version"] = m.kernel_version;
  in["kernel_release"] = m.kernel_release;
  in["srctree"] = m.srctree;
  in["arch"] = m.arch;
  in["karch"] = m.karch;
  in["config_sha256"] = m.config_sha256;
  in["toolchain"] = {{"cross_compile", m.cross_compile}, {"cc", m.cc}, {"version", m.cc_version}};
  in["reproducible"] = m.reproducible;
  in["launcher"] = m.launcher;
  in["jobs"] = m.jobs;
  in["commands"] = m.commands;
  j["inputs"] = in;
  nlohmann::json outs = nlohmann::json::array();
  for (const auto& o : m.outputs)
    outs.push_back({{"name", o.name}, {"path", o.path}, {"size", o.size}, {"sha256", o.sha256}});
  j["outputs"] = outs;
  nlohmann::json t = nlohmann::json::array();
  double total = 0;
  for (const auto& s : m.timings) {
    t.push_back({{"step", s.step}, {"seconds", std::round(s.seconds * 1000) / 1000}});
    total += s.seconds;
  }
  j["timings"] = t;
  j["seconds"] = std::round(total * 1000) / 1000;
  j["progress"] = {{"objects_compiled", m.objects_compiled}, {"objects_estimate", m.objects_estimate}};
  return j;
}

size_t previous_estimate(const std::string& manifest_text) {
  try {
    auto j = json_parse(manifest_text);
    return j.at("progress").at("objects_estimate").get<size_t>();
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace kmeta::kbuild
