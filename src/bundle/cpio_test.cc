#include "bundle/cpio.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "base/file_util.h"
#include "bundle/initramfs.h"
#include "bundle/test_util.h"

namespace kmeta::bundle {
namespace {

std::vector<CpioEntry> sample(const std::string& dir) {
  EXPECT_TRUE(write_file_atomic(dir + "/lib/modules/r/kernel/a.ko", "AAAA"));
  EXPECT_TRUE(write_file_atomic(dir + "/lib/modules/r/modules.dep", "kernel/a.ko:\n"));
  std::vector<CpioEntry> e;
  std::string err;
  EXPECT_TRUE(collect_tree(dir, "", &e, &err)) << err;
  CpioEntry init;
  init.path = "/init";
  init.data = "#!/bin/sh\n";
  init.mode = 0755;
  init.mtime = 4000000000;  // after the epoch below: clamped
  e.push_back(init);
  return e;
}

struct Read {
  std::string path;
  unsigned mode;
  int64_t uid, gid, mtime;
  unsigned nlink;
  int64_t ino;
};

std::vector<Read> read_back(const std::string& bytes) {
  std::vector<Read> out;
  struct archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_cpio(a);
  EXPECT_EQ(archive_read_open_memory(a, bytes.data(), bytes.size()), ARCHIVE_OK);
  struct archive_entry* ae;
  while (archive_read_next_header(a, &ae) == ARCHIVE_OK)
    out.push_back({archive_entry_pathname(ae), archive_entry_mode(ae), archive_entry_uid(ae),
                   archive_entry_gid(ae), archive_entry_mtime(ae), archive_entry_nlink(ae),
                   archive_entry_ino64(ae)});
  archive_read_free(a);
  return out;
}

TEST(WriteCpio, SortedParentsFirstOwnedByRootClampedNlinkOne) {
  testing::TempDir t;
  std::string out, err;
  ASSERT_TRUE(write_cpio(sample(t.path), Compression::none, 1700000000, &out, &err)) << err;
  auto r = read_back(out);
  std::vector<std::string> paths;
  paths.reserve(r.size());
  for (const auto& e : r) paths.push_back(e.path);
  EXPECT_EQ(paths,
            (std::vector<std::string>{"init", "lib", "lib/modules", "lib/modules/r", "lib/modules/r/kernel",
                                      "lib/modules/r/kernel/a.ko", "lib/modules/r/modules.dep"}));
  for (size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i].uid, 0);
    EXPECT_EQ(r[i].gid, 0);
    EXPECT_LE(r[i].mtime, 1700000000);
    EXPECT_EQ(r[i].ino, static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(r[0].mode, 0100755u);
  EXPECT_EQ(r[0].nlink, 1u);
  EXPECT_EQ(r[1].mode, 040755u);
  EXPECT_EQ(r[5].mode, 0100644u);
  EXPECT_EQ(r[5].nlink, 1u);
}

TEST(WriteCpio, SameInputsSameBytesAndGzipHasNoTimestamp) {
  for (Compression c : {Compression::none, Compression::gzip, Compression::xz, Compression::zstd}) {
    testing::TempDir t1, t2;
    std::string a, b, err;
    ASSERT_TRUE(write_cpio(sample(t1.path), c, 1700000000, &a, &err)) << err;
    ASSERT_TRUE(write_cpio(sample(t2.path), c, 1700000000, &b, &err)) << err;
    EXPECT_EQ(a, b) << compression_name(c);
    BaseInitramfs info;
    Diagnostics d;
    ASSERT_TRUE(read_initramfs("x", a, false, &info, &d)) << d.render();
    EXPECT_EQ(info.compression, c);
    EXPECT_EQ(info.entries, 7u);
    if (c == Compression::gzip) {
      ASSERT_GT(a.size(), 10u);
      EXPECT_EQ(a.substr(0, 3), std::string("\x1f\x8b\x08", 3));
      EXPECT_EQ(a[3] & 0x08, 0) << "FNAME set";
      EXPECT_EQ(a.substr(4, 4), std::string(4, '\0')) << "MTIME set";
    }
  }
}

TEST(WriteCpio, LaterEntryWinsAsInTheKernel) {
  std::vector<CpioEntry> e(2);
  e[0].path = "etc/x";
  e[0].data = "one";
  e[1].path = "/etc/x";
  e[1].data = "two";
  std::string out, err;
  ASSERT_TRUE(write_cpio(e, Compression::none, 0, &out, &err));
  EXPECT_EQ(read_back(out).size(), 2u);  // etc, etc/x
  EXPECT_NE(out.find("two"), std::string::npos);
  EXPECT_EQ(out.find("one"), std::string::npos);
}

}  // namespace
}  // namespace kmeta::bundle
