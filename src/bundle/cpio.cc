#include "bundle/cpio.h"

#include <archive.h>
#include <archive_entry.h>
#include <lzma.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "base/file_util.h"
#include "base/strings.h"

namespace fs = std::filesystem;

namespace kmeta::bundle {

const char* compression_name(Compression c) {
  switch (c) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::xz: return "xz";
    case Compression::zstd: return "zstd";
  }
  return "none";
}

std::optional<Compression> parse_compression(const std::string& n) {
  if (n == "none" || n == "cat") return Compression::none;
  if (n == "gzip" || n == "gz") return Compression::gzip;
  if (n == "xz") return Compression::xz;
  if (n == "zstd" || n == "zst") return Compression::zstd;
  return std::nullopt;
}

const char* kernel_decompressor_option(Compression c) {
  switch (c) {
    case Compression::none: return "";
    case Compression::gzip: return "CONFIG_RD_GZIP";
    case Compression::xz: return "CONFIG_RD_XZ";
    case Compression::zstd: return "CONFIG_RD_ZSTD";
  }
  return "";
}

bool collect_tree(const std::string& dir, const std::string& prefix, std::vector<CpioEntry>* out,
                  std::string* error) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::string rel = fs::relative(it->path(), dir, ec).string();
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    CpioEntry e;
    e.path = prefix.empty() ? rel : str_cat({prefix, "/", rel});
    e.mtime = st.st_mtime;
    if (S_ISDIR(st.st_mode)) {
      e.type = CpioEntry::Type::dir;
    } else if (S_ISLNK(st.st_mode)) {
      e.type = CpioEntry::Type::symlink;
      e.target = fs::read_symlink(it->path(), ec).string();
    } else if (S_ISREG(st.st_mode)) {
      e.source = it->path().string();
      e.mode = (st.st_mode & 0111) ? 0755 : 0644;
    } else {
      continue;
    }
    out->push_back(std::move(e));
  }
  if (ec) {
    if (error) *error = dir + ": " + ec.message();
    return false;
  }
  return true;
}

void normalize_entries(std::vector<CpioEntry>* entries) {
  std::map<std::string, CpioEntry> by_path;
  for (auto& e : *entries) {
    while (!e.path.empty() && e.path.front() == '/') e.path.erase(0, 1);
    while (e.path.size() > 1 && e.path.back() == '/') e.path.pop_back();
    if (e.path.empty() || e.path == ".") continue;
    by_path[e.path] = std::move(e);
  }
  std::vector<CpioEntry> parents;
  for (const auto& [p, e] : by_path) {
    for (size_t s = p.find('/'); s != std::string::npos; s = p.find('/', s + 1)) {
      std::string parent = p.substr(0, s);
      if (!by_path.count(parent)) {
        CpioEntry d;
        d.path = parent;
        d.type = CpioEntry::Type::dir;
        parents.push_back(d);
      }
    }
  }
  for (auto& d : parents) by_path.emplace(d.path, std::move(d));
  entries->clear();
  // Map order sorts "a-b" before "a/b" but a parent ("a") always precedes
  // its children, which is all the kernel needs.
  for (auto& [p, e] : by_path) entries->push_back(std::move(e));
}

namespace {
la_ssize_t append_cb(struct archive*, void* client, const void* buf, size_t n) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}
}  // namespace

bool write_cpio(std::vector<CpioEntry> entries, Compression c, int64_t epoch, std::string* out,
                std::string* error) {
  normalize_entries(&entries);
  struct archive* a = archive_write_new();
  archive_write_set_format_cpio_newc(a);
  int rc = ARCHIVE_OK;
  switch (c) {
    case Compression::none: break;
    case Compression::gzip:
      rc = archive_write_add_filter_gzip(a);
      // No timestamp in the gzip header ("gzip -n").
      if (rc == ARCHIVE_OK) rc = archive_write_set_filter_option(a, "gzip", "timestamp", nullptr);
      if (rc == ARCHIVE_OK) rc = archive_write_set_filter_option(a, "gzip", "compression-level", "9");
      break;
    case Compression::xz: break;  // liblzma below: the kernel's xz decoder wants CRC32 checks
    case Compression::zstd: rc = archive_write_add_filter_zstd(a); break;
  }
  archive_write_set_bytes_per_block(a, 0);  // no padding to 10240: the caller aligns
  out->clear();
  if (rc == ARCHIVE_OK) rc = archive_write_open(a, out, nullptr, append_cb, nullptr);
  if (rc != ARCHIVE_OK) {
    if (error)
      *error = archive_error_string(a) ? archive_error_string(a) : "libarchive: cannot set up the writer";
    archive_write_free(a);
    return false;
  }
  struct archive_entry* ae = archive_entry_new();
  int64_t ino = 0;
  bool ok = true;
  for (const CpioEntry& e : entries) {
    archive_entry_clear(ae);
    archive_entry_set_pathname(ae, e.path.c_str());
    archive_entry_set_uid(ae, e.uid);
    archive_entry_set_gid(ae, e.gid);
    archive_entry_set_mtime(ae, std::min<int64_t>(e.mtime, epoch), 0);
    archive_entry_set_ino64(ae, ++ino);
    archive_entry_set_dev(ae, 0);
    std::string data;
    switch (e.type) {
      case CpioEntry::Type::dir:
        archive_entry_set_filetype(ae, AE_IFDIR);
        archive_entry_set_perm(ae, e.mode ? e.mode : 0755);
        archive_entry_set_nlink(ae, 2);
        archive_entry_set_size(ae, 0);
        break;
      case CpioEntry::Type::symlink:
        archive_entry_set_filetype(ae, AE_IFLNK);
        archive_entry_set_perm(ae, 0777);
        archive_entry_set_symlink(ae, e.target.c_str());
        archive_entry_set_nlink(ae, 1);
        archive_entry_set_size(ae, 0);
        break;
      case CpioEntry::Type::file: {
        if (e.data) {
          data = *e.data;
        } else {
          std::string err;
          auto bytes = read_file(e.source, &err);
          if (!bytes) {
            if (error) *error = e.source + ": " + err;
            ok = false;
            break;
          }
          data = std::move(*bytes);
        }
        archive_entry_set_filetype(ae, AE_IFREG);
        archive_entry_set_perm(ae, e.mode ? e.mode : 0644);
        archive_entry_set_nlink(ae, 1);
        archive_entry_set_size(ae, static_cast<la_int64_t>(data.size()));
        break;
      }
    }
    if (!ok) break;
    if (archive_write_header(a, ae) != ARCHIVE_OK ||
        (!data.empty() &&
         archive_write_data(a, data.data(), data.size()) != static_cast<la_ssize_t>(data.size()))) {
      if (error)
        *error =
            std::string(e.path) + ": " + (archive_error_string(a) ? archive_error_string(a) : "write failed");
      ok = false;
      break;
    }
  }
  archive_entry_free(ae);
  if (archive_write_close(a) != ARCHIVE_OK && ok) {
    if (error) *error = archive_error_string(a) ? archive_error_string(a) : "libarchive: close failed";
    ok = false;
  }
  archive_write_free(a);
  if (ok && c == Compression::xz) {
    // libarchive's xz filter always writes CRC64 checks, which the kernel's
    // decoder does not verify: "xz --check=crc32", as the kernel's own
    // scripts compress an initramfs.
    lzma_stream strm = LZMA_STREAM_INIT;
    if (lzma_easy_encoder(&strm, 6, LZMA_CHECK_CRC32) != LZMA_OK) {
      if (error) *error = "liblzma: cannot set up the encoder";
      return false;
    }
    std::string xz(lzma_stream_buffer_bound(out->size()), '\0');
    strm.next_in = reinterpret_cast<const uint8_t*>(out->data());
    strm.avail_in = out->size();
    strm.next_out = reinterpret_cast<uint8_t*>(xz.data());
    strm.avail_out = xz.size();
    lzma_ret r = lzma_code(&strm, LZMA_FINISH);
    size_t n = xz.size() - strm.avail_out;
    lzma_end(&strm);
    if (r != LZMA_STREAM_END) {
      if (error) *error = "liblzma: compression failed";
      return false;
    }
    xz.resize(n);
    *out = std::move(xz);
  }
  return ok;
}

}  // namespace kmeta::bundle
