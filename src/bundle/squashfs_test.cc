#include "bundle/squashfs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "base/file_util.h"
#include "base/strings.h"
#include "bundle/process.h"
#include "bundle/test_util.h"

namespace kmeta::bundle {
namespace {

// A small rootfs made by tar2sqfs from a tar stream (tar --owner sets owners
// without root): /etc/init.d/rcS owned by 1000:100, /bin/sh.
std::string make_rootfs(const std::string& dir) {
  std::string root = dir + "/root";
  EXPECT_TRUE(write_file_atomic(root + "/etc/init.d/rcS", "#!/bin/sh\necho old\n"));
  EXPECT_TRUE(write_file_atomic(root + "/bin/sh", "not really a shell\n"));
  std::string img = dir + "/rootfs.img";
  std::string out;
  EXPECT_EQ(
      run_program({"/bin/sh", "-c",
                   "cd '" + root + "' && tar --owner=1000 --group=100 --mtime=@1000 --sort=name -cf - . | " +
                       find_program("tar2sqfs") + " -q -c gzip '" + img + "'"},
                  &out),
      0)
      << out;
  return img;
}

std::string listing(const std::string& img) {
  std::string out;
  EXPECT_EQ(run_program({find_program("unsquashfs"), "-lln", img}, &out), 0) << out;
  return out;
}

TEST(ParseInjection, Forms) {
  testing::TempDir t;
  ASSERT_TRUE(write_file_atomic(t.path + "/f", "x"));
  Diagnostics d;
  Injection i;
  ASSERT_TRUE(parse_injection(t.path + "/f:etc/f:0755", Location{"--inject"}, &i, &d)) << d.render();
  EXPECT_EQ(i.dest, "/etc/f");
  EXPECT_EQ(i.mode, 0755u);
  EXPECT_FALSE(parse_injection(t.path + "/f:/etc/f:rwx", Location{"--inject"}, &i, &d));
  EXPECT_FALSE(parse_injection(t.path + "/nope:/etc/f", Location{"--inject"}, &i, &d));
  EXPECT_FALSE(parse_injection(t.path + "/f:/etc/../f", Location{"--inject"}, &i, &d));
  EXPECT_EQ(d.error_count(), 3u);
}

TEST(InjectSquashfs, AddsAndReplacesReadBackByUnsquashfs) {
  testing::TempDir t;
  std::string img = make_rootfs(t.path);
  ASSERT_TRUE(write_file_atomic(t.path + "/rcS", "#!/bin/sh\necho new\n"));
  ASSERT_TRUE(write_file_atomic(t.path + "/S10net", "#!/bin/sh\n"));
  Diagnostics d;
  std::vector<Injection> adds(2);
  ASSERT_TRUE(parse_injection(t.path + "/rcS:/etc/init.d/rcS:0755", Location{"a"}, &adds[0], &d));
  ASSERT_TRUE(parse_injection(t.path + "/S10net:/etc/init.d/S10net:0755", Location{"b"}, &adds[1], &d));
  ASSERT_TRUE(inject_squashfs(img, t.path + "/out.img", adds, 1700000000, &d)) << d.render();
  std::string l = listing(t.path + "/out.img");
  // Replaced: keeps its owner, takes the new mode. Added: root-owned, 0755.
  EXPECT_NE(l.find("-rwxr-xr-x 1000/100"), std::string::npos) << l;
  EXPECT_NE(l.find("/etc/init.d/rcS"), std::string::npos) << l;
  EXPECT_NE(l.find("-rwxr-xr-x 0/0"), std::string::npos) << l;
  EXPECT_NE(l.find("/etc/init.d/S10net"), std::string::npos) << l;
  EXPECT_NE(l.find("/bin/sh"), std::string::npos) << l;
  std::string cat;
  ASSERT_EQ(run_program({find_program("sqfs2tar"), t.path + "/out.img"}, &cat), 0);
  EXPECT_NE(cat.find("echo new"), std::string::npos);
  EXPECT_EQ(cat.find("echo old"), std::string::npos);
  SquashfsInfo info;
  ASSERT_TRUE(read_squashfs_info(t.path + "/out.img", &info, &d));
  EXPECT_EQ(info.compressor, "gzip");  // the input's compressor is kept
  // Same inputs, same bytes.
  ASSERT_TRUE(inject_squashfs(img, t.path + "/again.img", adds, 1700000000, &d)) << d.render();
  EXPECT_EQ(read_file(t.path + "/out.img"), read_file(t.path + "/again.img"));
}

TEST(InjectSquashfs, OnlyIntoExistingDirectoriesAndNothingHalfWritten) {
  testing::TempDir t;
  std::string img = make_rootfs(t.path);
  ASSERT_TRUE(write_file_atomic(t.path + "/x", "x"));
  Diagnostics d;
  std::vector<Injection> adds(1);
  ASSERT_TRUE(parse_injection(t.path + "/x:/usr/share/x:0644", Location{"--inject x"}, &adds[0], &d));
  EXPECT_FALSE(inject_squashfs(img, t.path + "/out.img", adds, 0, &d));
  EXPECT_NE(d.render().find("--inject x: error: directory /usr/share does not exist"), std::string::npos)
      << d.render();
  EXPECT_FALSE(file_exists(t.path + "/out.img"));
  for (const auto& e : std::filesystem::directory_iterator(t.path))
    EXPECT_EQ(e.path().filename().string().find("kmeta-tmp"), std::string::npos);
  Diagnostics d2;
  EXPECT_FALSE(inject_squashfs(t.path + "/x", t.path + "/out.img", {}, 0, &d2));
  EXPECT_NE(d2.render().find("not a squashfs"), std::string::npos) << d2.render();
}

// Issue 9 item 4: tar2sqfs -f writes through whatever its output name is, so
// a symlink planted at the old predictable temporary (<out>.kmeta-tmp.<pid>)
// made the run overwrite the link's target. Now the image is written in a
// new private directory: the victim is untouched and nothing is left behind.
TEST(InjectSquashfs, NeverWritesThroughAPlantedSymlink) {
  testing::TempDir t;
  std::string img = make_rootfs(t.path);
  std::string out = t.path + "/out.img", victim = t.path + "/victim";
  ASSERT_TRUE(write_file_atomic(victim, "precious"));
  for (const std::string& name : {out + ".kmeta-tmp." + std::to_string(::getpid()),
                                  t.path + "/.out.img.kmeta-tmp." + std::to_string(::getpid())})
    std::filesystem::create_symlink(victim, name);
  Diagnostics d;
  ASSERT_TRUE(inject_squashfs(img, out, {}, 1700000000, &d)) << d.render();
  EXPECT_EQ(read_file(victim).value(), "precious");
  EXPECT_FALSE(std::filesystem::is_symlink(out));
  EXPECT_NE(listing(out).find("/etc/init.d/rcS"), std::string::npos);
  for (const auto& e : std::filesystem::directory_iterator(t.path))
    EXPECT_FALSE(is_atomic_temp_name(e.path().filename().string())) << e.path();
}

}  // namespace
}  // namespace kmeta::bundle
