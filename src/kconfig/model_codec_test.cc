#include "kconfig/model_codec.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "base/file_util.h"
#include "base/testing/temp_dir.h"
#include "kconfig/confdata.h"
#include "kconfig/configuration.h"
#include "kconfig/parse_testing.h"
#include "kconfig/printer.h"

namespace kmeta::kconfig {
namespace {

using testing::parse_files;

// A tree that uses most of the model: menus, menuconfig, choices, select,
// imply, ranges, help, comments, if blocks, string/int/hex, `modules`.
const std::map<std::string, std::string> kTree = {
    {"Kconfig",
     "mainmenu \"Codec $(ARCH)\"\n"
     "config MODULES\n\tbool \"modules\"\n\tmodules\n\tdefault y\n"
     "menu \"Drivers\"\n\tvisible if !EXPERT\n"
     "menuconfig NET\n\tbool \"net\"\n\tdefault y\n\thelp\n\t  Networking.\n\n\t  Second paragraph.\n"
     "if NET\nconfig ETH\n\ttristate \"eth\"\n\tselect PHY\n\timply LED\nendif\n"
     "comment \"a comment\"\n\tdepends on NET\n"
     "endmenu\n"
     "config PHY\n\ttristate\nconfig LED\n\ttristate \"led\"\n"
     "config EXPERT\n\tbool \"expert\"\n"
     "choice\n\tprompt \"mode\"\n\tdefault B\nconfig A\n\tbool \"a\"\nconfig B\n\tbool \"b\"\nendchoice\n"
     "config N\n\tint \"n\"\n\trange 1 10 if NET\n\tdefault 4\n"
     "config H\n\thex \"h\"\n\tdefault 0x10\n"
     "config S\n\tstring \"s\"\n\tdefault \"$(ARCH)-x\"\n"
     "config X\n\tbool\n\tdefault y if A != y && (N > 3 || !ETH)\n"
     "source \"sub/Kconfig\"\n"},
    {"sub/Kconfig",
     "config SUB\n\tbool \"sub\"\n\tdepends on NET || UNDEFINED_SYM\n\tdefault m if ETH = m\n"},
};

std::string config_of(const Model& m) {
  Configuration cfg(m);
  ConfContext ctx;
  return render_config(cfg, ctx);
}

TEST(ModelCodec, RoundTripIsExact) {
  for (Dialect d : {Dialect::v6_1, Dialect::v6_12}) {
    auto p = parse_files(kTree, d, {{"ARCH", "x86"}});
    ASSERT_TRUE(p.model) << p.err();
    std::string bytes = encode_model(p.m());
    std::string err;
    auto back = decode_model(bytes, &err);
    ASSERT_TRUE(back) << err;
    EXPECT_TRUE(encode_model(*back) == bytes);
    EXPECT_EQ(print_model(*back), print_model(p.m()));
    EXPECT_EQ(config_of(*back), config_of(p.m()));
    EXPECT_EQ(back->dialect, d);
    EXPECT_EQ(back->find("ETH"), p.m().find("ETH"));
    EXPECT_EQ(back->find("NOPE"), kNone);
    EXPECT_EQ(back->env_used, p.m().env_used);
    EXPECT_EQ(back->files, p.m().files);
    // Interning keeps working on a decoded model (the name tables came back).
    EXPECT_EQ(back->intern("ETH"), p.m().find("ETH"));
    EXPECT_EQ(back->e_sym(back->find("NET")), p.model->e_sym(p.m().find("NET")));
  }
}

TEST(ModelCodec, EveryTruncationIsAnError) {
  auto p = parse_files(kTree, Dialect::v6_12, {{"ARCH", "x86"}});
  ASSERT_TRUE(p.model);
  std::string bytes = encode_model(p.m());
  for (size_t n = 0; n < bytes.size(); n += 7) {
    std::string err;
    EXPECT_FALSE(decode_model(std::string_view(bytes).substr(0, n), &err)) << n;
    EXPECT_NE(err, "");
  }
}

// The decoder never reads out of bounds, loops or over-allocates, whatever
// the bytes (the fuzz target explores further). Whether an accepted
// corruption is *consistent* is the cache file's checksum's job
// (model_cache_test.cc).
TEST(ModelCodec, CorruptBytesAreDecodedSafely) {
  auto p = parse_files(kTree, Dialect::v6_1, {{"ARCH", "x86"}});
  ASSERT_TRUE(p.model);
  const std::string bytes = encode_model(p.m());
  size_t rejected = 0, tried = 0;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    for (unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string b = bytes;
      b[i] = static_cast<char>(static_cast<unsigned char>(b[i]) ^ flip);
      std::string err;
      auto m = decode_model(b, &err);
      ++tried;
      if (!m) {
        ++rejected;
        EXPECT_NE(err, "");
      } else {
        // What was accepted is a model the encoder and decoder agree on.
        std::string again = encode_model(*m);
        auto m2 = decode_model(again, &err);
        ASSERT_TRUE(m2) << "byte " << i << ": " << err;
        EXPECT_TRUE(encode_model(*m2) == again) << "byte " << i;
      }
    }
  }
  EXPECT_GT(rejected, tried / 4);  // ids and counts are checked, not just read
}

TEST(ModelCodec, RejectsCyclesAndForwardReferences) {
  auto p = parse_files({{"Kconfig", "config A\n\tbool \"a\"\nconfig B\n\tbool \"b\"\n\tdepends on A\n"}});
  ASSERT_TRUE(p.model);
  std::string bytes = encode_model(p.m());
  std::string err;
  ASSERT_TRUE(decode_model(bytes, &err)) << err;
  EXPECT_FALSE(decode_model(bytes + "x", &err));
  EXPECT_NE(err.find("trailing"), std::string::npos);
  std::string wrong_magic = bytes;
  wrong_magic[0] ^= 1;
  EXPECT_FALSE(decode_model(wrong_magic, &err));
  EXPECT_NE(err.find("not a kmeta model"), std::string::npos);
}

// A model decoded from a file keeps its help text in the file until the first
// text is asked for; it is then read through the model's own descriptor, so
// replacing or deleting the file afterwards changes nothing.
TEST(ModelCodec, HelpTextIsReadFromTheFileOnFirstUse) {
  auto p = parse_files(kTree);
  ASSERT_TRUE(p.model);
  const std::string bytes = encode_model(p.m());
  kmeta::testing::TempDir tmp("kmeta-codec");
  std::string path = tmp / "lazy-help.kmdl";
  ASSERT_TRUE(write_file_atomic(path, bytes));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ByteReader r(fd, bytes.size());
  std::string err;
  auto m = decode_model(r, &err, LazyHelp{fd, 0});
  ::close(fd);
  ASSERT_TRUE(m) << err;
  EXPECT_LT(r.pos(), bytes.size());  // the reader stopped before the help text
  ASSERT_TRUE(write_file_atomic(path, "replaced"));
  ::unlink(path.c_str());
  SymbolId net = p.m().find("NET");
  NodeId n = m->sym(net).nodes[0];
  EXPECT_EQ(m->help(n), "Networking.\n\nSecond paragraph.");
  EXPECT_EQ(m->help(n), p.m().help(n));
  EXPECT_EQ(print_model(*m), print_model(p.m()));
  EXPECT_TRUE(encode_model(*m) == bytes);
}

// A help text damaged in the file after the model was read: every text reads
// as "" rather than as garbage (the model part had its own checksum).
TEST(ModelCodec, DamagedLazyHelpReadsAsEmpty) {
  auto p = parse_files(kTree);
  ASSERT_TRUE(p.model);
  std::string bytes = encode_model(p.m());
  kmeta::testing::TempDir tmp("kmeta-codec");
  std::string path = tmp / "damaged-help.kmdl";
  ASSERT_TRUE(write_file_atomic(path, bytes));
  int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ByteReader r(fd, bytes.size());
  std::string err;
  auto m = decode_model(r, &err, LazyHelp{fd, 0});
  ASSERT_TRUE(m) << err;
  char last = static_cast<char>(bytes.back() ^ 1);
  ASSERT_EQ(::pwrite(fd, &last, 1, static_cast<off_t>(bytes.size() - 1)), 1);
  ::close(fd);
  ::unlink(path.c_str());
  NodeId n = m->sym(p.m().find("NET")).nodes[0];
  EXPECT_TRUE(m->node(n).has_help);
  EXPECT_EQ(m->help(n), "");
  // In memory the same damage is a decoding error.
  bytes.back() ^= 1;
  EXPECT_FALSE(decode_model(bytes, &err));
  EXPECT_NE(err.find("help text checksum"), std::string::npos) << err;
}

// Every location of a decoded model shares one file name per file.
TEST(ModelCodec, LocationsShareTheirFileName) {
  auto p = parse_files(kTree);
  ASSERT_TRUE(p.model);
  std::string err;
  auto m = decode_model(encode_model(p.m()), &err);
  ASSERT_TRUE(m) << err;
  const Location& a = m->node(m->sym(m->find("PHY")).nodes[0]).where;
  const Location& b = m->prop(m->sym(m->find("LED")).props[0]).where;
  EXPECT_EQ(a.file, "Kconfig");
  EXPECT_TRUE(a.file.shares(b.file));
  // And so do those of the parse itself (the lexer's name per file).
  EXPECT_TRUE(p.m()
                  .node(p.m().sym(p.m().find("PHY")).nodes[0])
                  .where.file.shares(p.m().prop(p.m().sym(p.m().find("LED")).props[0]).where.file));
}

// The fuzz seeds are encodings in the current format (regenerate them with
// fuzz/make_model_corpus when the format changes; see its header).
TEST(ModelCodec, FuzzSeedsAreCurrent) {
  const std::filesystem::path dir = std::filesystem::path(KMETA_SOURCE_DIR) / "fuzz/corpus/model_codec";
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    auto bytes = read_file(e.path().string());
    ASSERT_TRUE(bytes) << e.path();
    std::string err;
    EXPECT_TRUE(decode_model(*bytes, &err)) << e.path() << ": " << err;
    ++n;
  }
  EXPECT_GE(n, 4);
}

// Streamed into a file, a writer produces the same bytes and checksum as in memory,
// whatever the mix of small and large pieces.
TEST(ByteWriter, StreamsTheSameBytesAsInMemory) {
  kmeta::testing::TempDir tmp("kmeta-codec");
  std::string path = tmp / "streamed.bin";
  AtomicFile f(path);
  ByteWriter s(&f), m;
  std::string big(300000, 'b');
  for (ByteWriter* w : {&s, &m}) {
    w->raw("head");
    w->start_checksum();
    for (uint32_t i = 0; i < 100000; ++i) w->u32(i);
    w->str(big);
    w->u64(42);
    w->raw(big);
    w->u8(7);
  }
  EXPECT_EQ(s.size(), m.size());
  EXPECT_EQ(s.checksum(), m.checksum());
  EXPECT_EQ(s.checksum(), checksum64(std::string_view(m.bytes()).substr(4)));
  ASSERT_TRUE(s.flush());
  ASSERT_TRUE(f.commit());
  EXPECT_TRUE(read_file(path).value() == m.bytes());
  ::unlink(path.c_str());
}

std::string kernels_dir() {
  if (const char* k = std::getenv("KMETA_KERNELS")) return k;
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.cache/kmeta/kernels";
}

// The real tree: a decoded 6.12 x86 model writes the same .config.
TEST(ModelCodec, KernelTreeRoundTrip) {
  std::string src = kernels_dir() + "/linux-6.12";
  if (!std::filesystem::exists(src + "/Kconfig")) GTEST_SKIP() << "kernel sources not provisioned at " << src;
  PopenShellRunner shell;
  ParseOptions o;
  o.srctree = src;
  o.env = {{"srctree", src},  {"ARCH", "x86"},   {"SRCARCH", "x86"}, {"KERNELVERSION", "6.12.0"},
           {"CC", "gcc"},     {"LD", "ld"},      {"RUSTC", "rustc"}, {"BINDGEN", "bindgen"},
           {"HOSTCC", "gcc"}, {"HOSTCXX", "g++"}};
  o.shell = &shell;
  Messages msgs;
  auto m = parse_kconfig("Kconfig", o, msgs);
  ASSERT_TRUE(m) << msgs.text(Stream::err);
  std::string bytes = encode_model(*m);
  std::string err;
  auto back = decode_model(bytes, &err);
  ASSERT_TRUE(back) << err;
  EXPECT_TRUE(encode_model(*back) == bytes);
  EXPECT_EQ(config_of(*back), config_of(*m));
}

}  // namespace
}  // namespace kmeta::kconfig
