#include "bundle/initramfs.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>
#include <sys/stat.h>

#include <map>

namespace kmeta::bundle {

bool read_initramfs(const std::string& path, const std::string& bytes, bool want_contents, BaseInitramfs* out,
                    Diagnostics* diags) {
  struct archive* a = archive_read_new();
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_xz(a);
  archive_read_support_filter_zstd(a);
  archive_read_support_format_cpio(a);
  auto fail = [&](const std::string& what) {
    diags->error(Location{path}, fmt::format("not a usable initramfs: {}", what));
    archive_read_free(a);
    return false;
  };
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK)
    return fail(archive_error_string(a) ? archive_error_string(a) : "unreadable");
  struct archive_entry* ae = nullptr;
  std::map<std::string, std::string> data_of;  // for hard links
  int rc;
  while ((rc = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
    if (out->entries == 0) {
      switch (archive_filter_code(a, 0)) {
        case ARCHIVE_FILTER_NONE: out->compression = Compression::none; break;
        case ARCHIVE_FILTER_GZIP: out->compression = Compression::gzip; break;
        case ARCHIVE_FILTER_XZ: out->compression = Compression::xz; break;
        case ARCHIVE_FILTER_ZSTD: out->compression = Compression::zstd; break;
        default: return fail(fmt::format("compression '{}' is not supported", archive_filter_name(a, 0)));
      }
    }
    ++out->entries;
    if (!want_contents) {
      archive_read_data_skip(a);
      continue;
    }
    CpioEntry e;
    e.path = archive_entry_pathname(ae) ? archive_entry_pathname(ae) : "";
    e.uid = static_cast<uint32_t>(archive_entry_uid(ae));
    e.gid = static_cast<uint32_t>(archive_entry_gid(ae));
    e.mtime = archive_entry_mtime(ae);
    e.mode = archive_entry_perm(ae);
    const char* hardlink = archive_entry_hardlink(ae);
    mode_t type = archive_entry_filetype(ae);
    if (type == AE_IFDIR) {
      e.type = CpioEntry::Type::dir;
    } else if (type == AE_IFLNK) {
      e.type = CpioEntry::Type::symlink;
      e.target = archive_entry_symlink(ae) ? archive_entry_symlink(ae) : "";
    } else if (type == AE_IFREG || hardlink) {
      std::string d;
      char buf[65536];
      la_ssize_t n;
      while ((n = archive_read_data(a, buf, sizeof buf)) > 0) d.append(buf, static_cast<size_t>(n));
      if (n < 0) return fail(fmt::format("{}: {}", e.path, archive_error_string(a)));
      if (hardlink && d.empty() && data_of.count(hardlink)) d = data_of[hardlink];
      data_of[e.path] = d;
      e.data = std::move(d);
    } else {
      // Device nodes and fifos: an initramfs made by hand may have
      // /dev/console; keeping them needs mknod semantics a repack does not
      // offer. Concatenate instead.
      return fail(
          fmt::format("{}: special files cannot be repacked (concatenate instead of --repack)", e.path));
    }
    out->contents.push_back(std::move(e));
  }
  if (rc != ARCHIVE_EOF) return fail(archive_error_string(a) ? archive_error_string(a) : "damaged archive");
  if (out->entries == 0) return fail("no cpio entries");
  archive_read_free(a);
  return true;
}

std::string concat_members(const std::vector<std::string_view>& members) {
  std::string out;
  for (std::string_view m : members) {
    out.append((4 - out.size() % 4) % 4, '\0');
    out.append(m);
  }
  return out;
}

bool check_decompressor(Compression c, const std::map<std::string, std::string>& config,
                        const std::string& config_path, const std::string& what, Diagnostics* diags) {
  std::string opt = kernel_decompressor_option(c);
  if (opt.empty()) return true;
  auto it = config.find(opt);
  if (it != config.end() && it->second == "y") return true;
  diags->error(Location{config_path},
               fmt::format("{} is {}-compressed but {} is not set: the kernel cannot unpack it", what,
                           compression_name(c), opt));
  return false;
}

}  // namespace kmeta::bundle
