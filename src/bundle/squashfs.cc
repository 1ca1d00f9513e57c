#include "bundle/squashfs.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sqfs/compressor.h>
#include <sqfs/io.h>
#include <sqfs/super.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "base/file_util.h"
#include "base/strings.h"
#include "bundle/process.h"

namespace fs = std::filesystem;

namespace kmeta::bundle {

bool parse_injection(const std::string& spec, const Location& where, Injection* out, Diagnostics* diags) {
  std::vector<std::string_view> parts = split(spec, ':');
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty() || parts[1].empty()) {
    diags->error(where, fmt::format("expected SRC:DEST[:MODE], got '{}'", spec));
    return false;
  }
  Injection i;
  i.source = std::string(parts[0]);
  i.dest = std::string(parts[1]);
  i.where = where;
  if (i.dest.front() != '/') i.dest = "/" + i.dest;
  if (i.dest.back() == '/' || i.dest.find("/../") != std::string::npos || ends_with(i.dest, "/..")) {
    diags->error(where, fmt::format("DEST '{}' must name a file (absolute, no '..')", std::string(parts[1])));
    return false;
  }
  struct stat st {};
  if (::stat(i.source.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    diags->error(where, fmt::format("SRC '{}' is not a readable file", i.source));
    return false;
  }
  if (parts.size() == 3) {
    std::string m(parts[2]);
    char* end = nullptr;
    unsigned long v = std::strtoul(m.c_str(), &end, 8);
    if (m.empty() || *end || v > 07777) {
      diags->error(where, fmt::format("MODE '{}' is not an octal mode like 0755", m));
      return false;
    }
    i.mode = static_cast<uint32_t>(v);
  } else {
    i.mode = (st.st_mode & 0111) ? 0755 : 0644;
  }
  *out = std::move(i);
  return true;
}

bool read_squashfs_info(const std::string& path, SquashfsInfo* out, Diagnostics* diags) {
  if (!file_exists(path)) {
    diags->error(Location{path}, "squashfs image not found");
    return false;
  }
  sqfs_file_t* f = sqfs_open_file(path.c_str(), SQFS_FILE_OPEN_READ_ONLY);
  if (!f) {
    diags->error(Location{path}, "cannot open the squashfs image");
    return false;
  }
  sqfs_super_t super;
  int rc = sqfs_super_read(&super, f);
  sqfs_destroy(f);
  if (rc != 0) {
    diags->error(Location{path}, fmt::format("not a squashfs 4.0 image (libsquashfs error {})", rc));
    return false;
  }
  const char* name = sqfs_compressor_name_from_id(static_cast<SQFS_COMPRESSOR>(super.compression_id));
  out->compressor = name ? name : "";
  out->block_size = super.block_size;
  out->inodes = super.inode_count;
  out->mtime = super.modification_time;
  if (out->compressor.empty()) {
    diags->error(Location{path}, fmt::format("unknown squashfs compressor id {}", super.compression_id));
    return false;
  }
  return true;
}

namespace {

std::string tar_path(const char* p) {
  std::string s = p ? p : "";
  while (starts_with(s, "./")) s.erase(0, 2);
  while (!s.empty() && s.front() == '/') s.erase(0, 1);
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;  // "" = the root
}

la_ssize_t send_cb(struct archive* a, void* client, const void* buf, size_t n) {
  int fd = *static_cast<int*>(client);
  for (;;) {
    ssize_t w = ::send(fd, buf, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) archive_set_error(a, errno, "tar2sqfs stopped reading: %s", std::strerror(errno));
    return w;
  }
}

std::string read_log(std::FILE* f) {
  std::string s;
  if (!f) return s;
  std::fflush(f);
  std::rewind(f);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return std::string(trim(s));
}

}  // namespace

bool inject_squashfs(const std::string& in, const std::string& out, const std::vector<Injection>& adds,
                     int64_t epoch, Diagnostics* diags) {
  SquashfsInfo info;
  if (!read_squashfs_info(in, &info, diags)) return false;
  std::string sqfs2tar = find_program("sqfs2tar"), tar2sqfs = find_program("tar2sqfs");
  if (sqfs2tar.empty() || tar2sqfs.empty()) {
    diags->error(Location{in}, "sqfs2tar/tar2sqfs not found: install Debian's squashfs-tools-ng");
    return false;
  }
  std::map<std::string, const Injection*> by_dest;
  for (const auto& a : adds) by_dest[tar_path(a.dest.c_str())] = &a;

  // tar2sqfs -f writes (and would follow a symlink at) the name it is given:
  // give it one inside a directory of ours, made new with an unpredictable
  // name, then rename the image over `out`.
  std::string mkerr;
  std::string tmp_dir = create_temp_dir_beside(out, &mkerr, 0700);
  if (tmp_dir.empty()) {
    diags->error(Location{out}, "cannot create a temporary directory: " + mkerr);
    return false;
  }
  std::string tmp = tmp_dir + "/image.sqfs";
  std::error_code ec;
  std::FILE* log1 = std::tmpfile();
  std::FILE* log2 = std::tmpfile();
  int from[2], to[2];
  if (::pipe2(from, O_CLOEXEC) != 0 || ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, to) != 0) {
    diags->error(Location{in}, std::string("pipe: ") + std::strerror(errno));
    fs::remove_all(tmp_dir, ec);
    return false;
  }
  std::string err;
  pid_t reader = spawn({sqfs2tar, "--no-skip", "-r", ".", in}, -1, from[1], log1 ? fileno(log1) : -1, &err);
  ::close(from[1]);
  pid_t writer = reader < 0
                     ? -1
                     : spawn({tar2sqfs, "-q", "-f", "-s", "-c", info.compressor, "-b",
                              std::to_string(info.block_size), "-d", fmt::format("mtime={}", epoch), tmp},
                             to[1], -1, log2 ? fileno(log2) : -1, &err);
  ::close(to[1]);
  bool ok = reader >= 0 && writer >= 0;
  if (!ok) diags->error(Location{in}, err);

  std::map<std::string, std::pair<uint32_t, uint32_t>> replaced_owner;
  std::set<std::string> dirs = {""};
  if (ok) {
    struct archive* ar = archive_read_new();
    archive_read_support_format_tar(ar);
    struct archive* aw = archive_write_new();
    archive_write_set_format_pax_restricted(aw);
    archive_write_set_bytes_per_block(aw, 10240);
    int wfd = to[0];
    bool opened = archive_read_open_fd(ar, from[0], 65536) == ARCHIVE_OK &&
                  archive_write_open(aw, &wfd, nullptr, send_cb, nullptr) == ARCHIVE_OK;
    if (!opened) {
      diags->error(Location{in},
                   fmt::format("libarchive: {}", archive_error_string(ar) ? archive_error_string(ar)
                                                                          : archive_error_string(aw)));
      ok = false;
    }
    struct archive_entry* ae = nullptr;
    int rc = ARCHIVE_OK;
    std::string buf(65536, '\0');
    while (ok && (rc = archive_read_next_header(ar, &ae)) == ARCHIVE_OK) {
      std::string p = tar_path(archive_entry_pathname(ae));
      if (archive_entry_filetype(ae) == AE_IFDIR) dirs.insert(p);
      auto hit = by_dest.find(p);
      if (hit != by_dest.end()) {
        if (archive_entry_filetype(ae) == AE_IFDIR) {
          diags->error(
              hit->second->where,
              fmt::format("{} is a directory in {}: cannot replace it with a file", hit->second->dest, in));
          ok = false;
          break;
        }
        replaced_owner[p] = {static_cast<uint32_t>(archive_entry_uid(ae)),
                             static_cast<uint32_t>(archive_entry_gid(ae))};
        archive_read_data_skip(ar);
        continue;
      }
      if (archive_entry_mtime(ae) > epoch) archive_entry_set_mtime(ae, epoch, 0);
      if (archive_write_header(aw, ae) != ARCHIVE_OK) {
        diags->error(Location{in}, fmt::format("{}: {}", p, archive_error_string(aw)));
        ok = false;
        break;
      }
      la_ssize_t n;
      while ((n = archive_read_data(ar, buf.data(), buf.size())) > 0)
        if (archive_write_data(aw, buf.data(), static_cast<size_t>(n)) != n) {
          n = -1;
          break;
        }
      if (n < 0) {
        diags->error(Location{in}, fmt::format("{}: {}", p,
                                               archive_error_string(ar) ? archive_error_string(ar)
                                                                        : archive_error_string(aw)));
        ok = false;
      }
    }
    if (ok && rc != ARCHIVE_EOF) {
      diags->error(Location{in}, fmt::format("reading sqfs2tar's stream: {}", archive_error_string(ar)));
      ok = false;
    }
    for (const auto& [p, inj] : by_dest) {
      if (!ok) break;
      std::string parent = p.find('/') == std::string::npos ? "" : p.substr(0, p.rfind('/'));
      if (!dirs.count(parent)) {
        diags->error(inj->where,
                     fmt::format("directory /{} does not exist in {}: files are injected into existing "
                                 "directories only",
                                 parent, in));
        ok = false;
        break;
      }
      auto bytes = read_file(inj->source, &err);
      if (!bytes) {
        diags->error(inj->where, fmt::format("{}: {}", inj->source, err));
        ok = false;
        break;
      }
      struct archive_entry* ne = archive_entry_new();
      archive_entry_set_pathname(ne, ("./" + p).c_str());
      archive_entry_set_filetype(ne, AE_IFREG);
      archive_entry_set_perm(ne, inj->mode);
      auto owner = replaced_owner.count(p) ? replaced_owner[p] : std::pair<uint32_t, uint32_t>{0, 0};
      archive_entry_set_uid(ne, owner.first);
      archive_entry_set_gid(ne, owner.second);
      struct stat st {};
      ::stat(inj->source.c_str(), &st);
      archive_entry_set_mtime(ne, std::min<int64_t>(st.st_mtime, epoch), 0);
      archive_entry_set_size(ne, static_cast<la_int64_t>(bytes->size()));
      if (archive_write_header(aw, ne) != ARCHIVE_OK ||
          archive_write_data(aw, bytes->data(), bytes->size()) != static_cast<la_ssize_t>(bytes->size())) {
        diags->error(inj->where, fmt::format("{}: {}", p, archive_error_string(aw)));
        ok = false;
      }
      archive_entry_free(ne);
    }
    if (ok && archive_write_close(aw) != ARCHIVE_OK) {
      diags->error(Location{in}, fmt::format("writing to tar2sqfs: {}", archive_error_string(aw)));
      ok = false;
    }
    archive_write_free(aw);
    archive_read_free(ar);
  }
  ::close(from[0]);
  ::shutdown(to[0], SHUT_WR);
  ::close(to[0]);
  int rc1 = reader >= 0 ? wait_for(reader) : -1;
  int rc2 = writer >= 0 ? wait_for(writer) : -1;
  if (ok && rc1 != 0) {
    diags->error(Location{in}, fmt::format("sqfs2tar failed (exit {}): {}", rc1, read_log(log1)));
    ok = false;
  }
  if (ok && rc2 != 0) {
    diags->error(Location{out}, fmt::format("tar2sqfs failed (exit {}): {}", rc2, read_log(log2)));
    ok = false;
  }
  if (log1) std::fclose(log1);
  if (log2) std::fclose(log2);
  if (ok && ::rename(tmp.c_str(), out.c_str()) != 0) {
    diags->error(Location{out},
                 std::string("cannot rename the new image into place: ") + std::strerror(errno));
    ok = false;
  }
  fs::remove_all(tmp_dir, ec);
  return ok;
}

}  // namespace kmeta::bundle
