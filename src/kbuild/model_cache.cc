#include "kbuild/model_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <system_error>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/checksum.h"
#include "base/file_system.h"
#include "base/file_util.h"
#include "base/private_dir.h"
#include "kbuild/probe_cache.h"
#include "kconfig/model_codec.h"

namespace kmeta::kbuild {

using kconfig::ByteReader;
using kconfig::ByteWriter;
using kconfig::decode_model;
using kconfig::encode_model;
using kconfig::encoded_help;
using kconfig::LazyHelp;
using kconfig::Message;
using kconfig::Messages;
using kconfig::Model;
using kconfig::parse_kconfig;
using kconfig::ParseOptions;
using kconfig::ShellRunner;
using kconfig::Stream;
namespace {

namespace fs = std::filesystem;

// 5: XXH3-64 checksums (base/checksum.h) instead of CRC-32.
constexpr std::string_view kHeader = "kmeta-model-cache 5\n";
// header | checksum u64 | size u64 | help size u64 | help checksum u64 | body
constexpr size_t kHeadSize = kHeader.size() + 8 + 8 + 8 + 8;
// A 6.12 model is ~10 MB; a file far larger is not one kmeta wrote.
constexpr uint64_t kMaxEntrySize = uint64_t{1} << 30;

// True when the last `size` bytes of the `file_size`-byte file `fd` (the help
// part) have checksum `sum`. Reads through a small buffer with pread (the
// descriptor's offset is left alone, so this can run beside a reader).
bool help_intact(int fd, uint64_t file_size, uint64_t size, uint64_t sum) {
  if (size > file_size) return false;
  auto buf = std::make_unique_for_overwrite<char[]>(size_t{1} << 18);
  Checksum c;
  for (uint64_t off = file_size - size; off < file_size;) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(size_t{1} << 18, file_size - off));
    ssize_t got = ::pread(fd, buf.get(), want, static_cast<off_t>(off));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    c.update(buf.get(), static_cast<size_t>(got));
    off += static_cast<uint64_t>(got);
  }
  return c.value() == sum;
}

// What a path looked like when the parser opened it.
struct FileDep {
  std::string path;  // as the parser composed it
  uint8_t kind = 0;  // 0 missing, 1 regular file, 2 something else
  uint64_t size = 0, mtime_ns = 0, ctime_ns = 0, ino = 0, dev = 0;
  bool operator==(const FileDep&) const = default;
};

struct ShellDep {
  std::string command;
  bool ok = false;
  std::string output;
};

std::string resolve(const std::string& cwd, const std::string& path) {
  return (!cwd.empty() && !path.empty() && path[0] != '/') ? cwd + "/" + path : path;
}

FileDep stat_dep(const std::string& cwd, const std::string& path) {
  FileDep d;
  d.path = path;
  struct stat st {};
  if (::stat(resolve(cwd, path).c_str(), &st) != 0) return d;
  d.kind = S_ISREG(st.st_mode) ? 1 : 2;
  if (d.kind == 1) {
    d.size = static_cast<uint64_t>(st.st_size);
    d.mtime_ns =
        static_cast<uint64_t>(st.st_mtim.tv_sec) * 1000000000ull + static_cast<uint64_t>(st.st_mtim.tv_nsec);
    d.ctime_ns =
        static_cast<uint64_t>(st.st_ctim.tv_sec) * 1000000000ull + static_cast<uint64_t>(st.st_ctim.tv_nsec);
    d.ino = static_cast<uint64_t>(st.st_ino);
    d.dev = static_cast<uint64_t>(st.st_dev);
  }
  return d;
}

// The disk, with every read recorded (identity taken before the read, so a
// file changed in between is seen as changed next time). The parser is given
// no cwd (ParseOptions::cwd ""), so names arrive as it composed them and are
// recorded so: a relative name is resolved against `cwd` here, and again
// against the cwd of the run that checks the entry.
//
// A missing file is recorded as its shallowest missing ancestor: lkc tries
// every relative `source` in the cwd (the build directory) first, and
// "arch/ is missing there" stands for a thousand such misses in one stat.
class RecordingFiles : public FileSystem {
 public:
  using FileSystem::read_result;
  explicit RecordingFiles(std::string cwd) : cwd_(std::move(cwd)) {}
  ReadResult read_result(const std::string& path, const FileReadOptions& o) override {
    FileDep d = stat_dep(cwd_, path);
    if (d.kind == 0) d.path = missing_prefix(path);
    if (d.kind != 0 || recorded_missing_.insert(d.path).second) deps.push_back(d);
    return disk_.read_result(resolve(cwd_, path), o);
  }
  // The parser only reads; these answer without recording.
  FileType type(const std::string& p) override { return disk_.type(resolve(cwd_, p)); }
  std::optional<std::string> canonical(const std::string& p) override {
    return disk_.canonical(resolve(cwd_, p));
  }
  std::vector<DirEntry> list(const std::string& d) override { return disk_.list(resolve(cwd_, d)); }
  std::string why_unreadable(const std::string& p) override { return disk_.why_unreadable(resolve(cwd_, p)); }
  std::vector<FileDep> deps;

 private:
  // The shortest leading part of `path` (itself at the longest) that does
  // not exist.
  std::string missing_prefix(const std::string& path) {
    for (size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
      std::string prefix = path.substr(0, slash);
      auto [it, fresh] = exists_.try_emplace(prefix, false);
      if (fresh) it->second = stat_dep(cwd_, prefix).kind != 0;
      if (!it->second) return prefix;
    }
    return path;
  }

  std::string cwd_;
  DiskFileSystem disk_;
  std::unordered_map<std::string, bool> exists_;
  std::unordered_set<std::string> recorded_missing_;
};

class RecordingShell : public ShellRunner {
 public:
  explicit RecordingShell(ShellRunner* inner) : inner_(inner) {}
  bool run(const std::string& command, std::string* output, std::string* error) override {
    bool ok = inner_->run(command, output, error);
    deps.push_back({command, ok, ok ? *output : std::string()});
    return ok;
  }
  std::vector<ShellDep> deps;

 private:
  ShellRunner* inner_;
};

const char* kSlotVars[] = {"ARCH", "SRCARCH", "CROSS_COMPILE", "CC", "LD", "LLVM", "KERNELVERSION"};

std::string slot_key(const std::string& file, const ParseOptions& o, const std::string& producer) {
  std::string k = "producer=" + producer + "\nkconfig=" + file + "\nsrctree=" + o.srctree + "\ndialect=";
  k += !o.dialect ? std::string_view("auto") : kconfig::lkc_rules(*o.dialect).name;
  for (const char* v : kSlotVars) {
    auto it = o.env.find(v);
    k += std::string("\n") + v + (it == o.env.end() ? std::string(" unset") : "=" + it->second);
  }
  return k;
}

void put_loc(ByteWriter& w, const Location& l) {
  w.str(l.file.str());
  w.i32(l.line);
  w.i32(l.column);
}
bool get_loc(ByteReader& r, Location* l) {
  std::string file;
  if (!r.str(&file)) return false;
  l->file = std::move(file);
  return r.i32(&l->line) && r.i32(&l->column);
}

// Writes the entry to `path`, atomically, streaming (the model is never held
// twice). header | checksum | size | help size | help checksum | inputs |
// inputs checksum | model part | help part (checksums: base/checksum.h): the
// header's checksum covers everything after the head
// up to the help part, which has its own (also in the model part's trailer,
// model_codec.h); size counts all of it.
bool store_entry(const std::string& path, const std::string& key, const std::vector<FileDep>& files,
                 const Model& m, const std::vector<ShellDep>& shell, const std::vector<Message>& messages) {
  AtomicFile out(path);
  ByteWriter w(&out);
  w.raw(kHeader);
  w.u64(0);
  w.u64(0);
  w.u64(0);
  w.u64(0);
  const uint64_t body = w.size();
  w.start_checksum();
  w.str(key);
  w.u32(static_cast<uint32_t>(files.size()));
  for (const FileDep& f : files) {
    w.str(f.path);
    w.u8(f.kind);
    w.u64(f.size);
    w.u64(f.mtime_ns);
    w.u64(f.ctime_ns);
    w.u64(f.ino);
    w.u64(f.dev);
  }
  w.u32(static_cast<uint32_t>(m.env_used.size()));
  for (const auto& [k, v] : m.env_used) {
    w.str(k);
    w.str(v);
  }
  w.u32(static_cast<uint32_t>(m.env_unset.size()));
  for (const std::string& k : m.env_unset) w.str(k);
  w.u32(static_cast<uint32_t>(shell.size()));
  for (const ShellDep& s : shell) {
    w.str(s.command);
    w.u8(s.ok ? 1 : 0);
    w.str(s.output);
  }
  w.u32(static_cast<uint32_t>(messages.size()));
  for (const Message& msg : messages) {
    w.u8(static_cast<uint8_t>(msg.stream));
    w.u8(static_cast<uint8_t>(msg.severity));
    put_loc(w, msg.where);
    w.str(msg.text);
  }
  // The inputs get their own checksum: they are checked (and the probes
  // among them asked again) before the model is read.
  w.u64(w.checksum());
  encode_model(m, w);
  const uint64_t sum = w.checksum();
  const std::string_view help = encoded_help(m);
  w.raw(help);
  const uint64_t size = w.size() - body;
  w.flush();
  ByteWriter head;
  head.u64(sum);
  head.u64(size);
  head.u64(help.size());
  head.u64(checksum64(help));
  out.pwrite(head.bytes(), kHeader.size());
  return out.commit();
}

// Reuses the entry in the open file `fd` if every input still holds; "" on
// success, else the reason it does not. The inputs are read and their
// checksum verified before any of them is acted on (no probe command from a
// damaged file is ever run); the model is then decoded while streaming, and
// the whole body's checksum checked before it is returned.
//
// The help part is not needed to build the model (it is read when a help text
// is first asked for), but a damaged one must not be kept: the audit's rename
// hints would silently disappear. Its checksum is verified beside the rest,
// on another thread, so a warm run does not wait for it.
std::string try_entry(int fd, const std::string& key, const ParseOptions& o, std::unique_ptr<Model>* model,
                      std::vector<Message>* messages) {
  char head[kHeadSize];
  ssize_t got = ::pread(fd, head, sizeof head, 0);
  if (got < static_cast<ssize_t>(kHeader.size()) || std::string_view(head, kHeader.size()) != kHeader)
    return "not a model cache file";
  ByteReader h(std::string_view(head + kHeader.size(), static_cast<size_t>(got) - kHeader.size()));
  uint64_t crc = 0, help_crc = 0;
  uint64_t size = 0, help_size = 0;
  struct stat st {};
  if (!h.u64(&crc) || !h.u64(&size) || !h.u64(&help_size) || !h.u64(&help_crc) || ::fstat(fd, &st) != 0 ||
      static_cast<uint64_t>(st.st_size) != sizeof head + size || help_size > size ||
      ::lseek(fd, sizeof head, SEEK_SET) < 0)
    return "truncated";
  // Joined (the future's destructor waits) on every way out of this function.
  // Without a thread to spare it runs at get(), on this one.
  std::future<bool> help_ok;
  try {
    help_ok = std::async(std::launch::async, help_intact, fd, static_cast<uint64_t>(st.st_size), help_size,
                         help_crc);
  } catch (const std::system_error&) {
    help_ok = std::async(std::launch::deferred, help_intact, fd, static_cast<uint64_t>(st.st_size), help_size,
                         help_crc);
  }
  ByteReader r(fd, size);

  // --- the inputs, as recorded ---
  std::string stored_key;
  std::vector<FileDep> files;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<std::string> unset;
  std::vector<ShellDep> shell;
  uint32_t n = 0;
  if (!r.str(&stored_key) || !r.count(&n, 4 + 1 + 40)) return "truncated";
  files.resize(n);
  for (FileDep& d : files)
    if (!r.str(&d.path) || !r.u8(&d.kind) || !r.u64(&d.size) || !r.u64(&d.mtime_ns) || !r.u64(&d.ctime_ns) ||
        !r.u64(&d.ino) || !r.u64(&d.dev))
      return "truncated";
  if (!r.count(&n, 8)) return "truncated";
  env.resize(n);
  for (auto& [k, v] : env)
    if (!r.str(&k) || !r.str(&v)) return "truncated";
  if (!r.count(&n, 4)) return "truncated";
  unset.resize(n);
  for (std::string& k : unset)
    if (!r.str(&k)) return "truncated";
  if (!r.count(&n, 9)) return "truncated";
  shell.resize(n);
  for (ShellDep& sd : shell) {
    uint8_t ok = 0;
    if (!r.str(&sd.command) || !r.u8(&ok) || !r.str(&sd.output)) return "truncated";
    sd.ok = ok != 0;
  }
  if (!r.count(&n, 2 + 12 + 4)) return "truncated";
  messages->resize(n);
  for (Message& msg : *messages) {
    uint8_t stream = 0, sev = 0;
    if (!r.u8(&stream) || !r.u8(&sev) || stream > 1 || sev > 2 || !get_loc(r, &msg.where) ||
        !r.str(&msg.text))
      return "truncated";
    msg.stream = static_cast<Stream>(stream);
    msg.severity = static_cast<Severity>(sev);
  }
  uint64_t inputs_crc_now = r.checksum(), inputs_crc = 0;
  if (!r.u64(&inputs_crc)) return "truncated";
  if (inputs_crc != inputs_crc_now) return "checksum mismatch";
  if (stored_key != key) return "another tree in this slot";

  // --- do they still hold? cheapest first ---
  // Checked on another thread while this one decodes the model (the stats
  // and probe answers cost about as much as the decode): the recorded inputs
  // were verified above, so nothing acted on here comes from a damaged file.
  // The decoded model is dropped unless they hold.
  auto still_holds = [&]() -> std::string {
    for (const FileDep& d : files)
      if (!(stat_dep(o.cwd, d.path) == d)) return d.path + " changed";
    for (const auto& [k, v] : env) {
      auto it = o.env.find(k);
      if (it == o.env.end() || it->second != v) return "$(" + k + ") changed";
    }
    for (const std::string& k : unset)
      if (o.env.count(k)) return "$(" + k + ") is now set";
    for (const ShellDep& sd : shell) {
      std::string out, err;
      bool now_ok = o.shell && o.shell->run(sd.command, &out, &err);
      if (now_ok != sd.ok || (now_ok && out != sd.output)) return "$(shell," + sd.command + ") changed";
    }
    return "";
  };
  std::future<std::string> holds;  // joined on every way out (declared after what it reads)
  try {
    holds = std::async(std::launch::async, still_holds);
  } catch (const std::system_error&) {
    holds = std::async(std::launch::deferred, still_holds);
  }

  // --- the model ---
  std::string err;
  auto m = decode_model(r, &err, LazyHelp{fd, sizeof head});
  if (std::string changed = holds.get(); !changed.empty()) return changed;
  // The checksum covers the body up to the help text (which has its own): a
  // corrupted model is caught here even when the decoder accepted it.
  if (r.checksum() != crc) return "checksum mismatch";
  if (!m) return err;
  if (!help_ok.get()) return "help text checksum mismatch";
  *model = std::move(m);
  return "";
}

// Keeps the `keep` most recently used slots.
void prune(const std::string& dir, size_t keep) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> slots;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".model") continue;
    auto t = e.last_write_time(ec);
    if (!ec) slots.emplace_back(t, e.path());
  }
  if (slots.size() <= keep) return;
  std::sort(slots.begin(), slots.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = keep; i < slots.size(); ++i) fs::remove(slots[i].second, ec);
}

}  // namespace

std::string producer_identity() {
  struct stat st {};
  std::string id = "kmeta";
  if (::stat("/proc/self/exe", &st) == 0)
    id += " exe " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
          std::to_string(st.st_mtim.tv_nsec) + " " + std::to_string(st.st_ino);
  return id;
}

std::unique_ptr<Model> parse_kconfig_cached(const std::string& file, const ParseOptions& options,
                                            const ModelCacheOptions& cache, Messages& msgs,
                                            ModelCacheResult* result) {
  ModelCacheResult local;
  ModelCacheResult& res = result ? *result : local;
  res = {};
  if (options.files || cache.dir.empty()) {
    res.miss = "cache not applicable";
    return parse_kconfig(file, options, msgs);
  }
  const std::string key = slot_key(file, options, cache.producer);
  const std::string path = cache.dir + "/" + probe_digest(key) + ".model";
  std::string why;
  if (!check_private_dir(cache.dir, &why)) {
    res.miss = "cache not trusted";
    res.warning = "ignoring the model cache " + cache.dir + ": " + why + "; parsing, storing nothing";
    return parse_kconfig(file, options, msgs);
  }

  ReadError kind = ReadError::none;
  int fd = open_input_file(path, {.max_size = kMaxEntrySize, .nofollow = true, .private_file = true}, nullptr,
                           &why, &kind);
  if (fd < 0 && kind != ReadError::missing) {
    res.miss = why;
    res.warning = "ignoring model cache entry " + path + ": " + why;
  } else if (fd >= 0) {
    std::unique_ptr<Model> model;
    std::vector<Message> replay;
    res.miss = try_entry(fd, key, options, &model, &replay);
    ::close(fd);
    if (res.miss.empty()) {
      for (Message& m : replay) {
        if (m.stream == Stream::out)
          msgs.out(std::move(m.text));
        else
          msgs.err(std::move(m.text), m.severity, std::move(m.where));
      }
      ::utimes(path.c_str(), nullptr);  // most recently used
      res.hit = true;
      return model;
    }
  } else {
    res.miss = "no stored model";
  }

  RecordingFiles files(options.cwd);
  RecordingShell shell(options.shell);
  ParseOptions po = options;
  po.files = &files;
  po.cwd.clear();  // `files` resolves relative names, and records them as composed
  po.shell = options.shell ? &shell : nullptr;
  size_t first_message = msgs.items().size();
  auto model = parse_kconfig(file, po, msgs);
  if (!model || !cache.store) return model;

  std::vector<Message> printed(msgs.items().begin() + static_cast<std::ptrdiff_t>(first_message),
                               msgs.items().end());
  if (!make_private_dirs(cache.dir)) return model;
  if (store_entry(path, key, files.deps, *model, shell.deps, printed)) {
    res.stored = true;
    prune(cache.dir, cache.keep);
  }
  return model;
}

}  // namespace kmeta::kbuild
