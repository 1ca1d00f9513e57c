#include "kbuild/probe_cache.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/checksum.h"
#include "base/file_util.h"
#include "base/private_dir.h"
#include "base/strings.h"

namespace kmeta::kbuild {

// --- SpawnRunner ----------------------------------------------------------------

SpawnRunner::SpawnRunner(const std::map<std::string, std::string>& env, std::string cwd)
    : cwd_(std::move(cwd)) {
  envp_storage_.reserve(env.size());
  for (const auto& [k, v] : env) envp_storage_.push_back(str_cat({k, "=", v}));
}

bool SpawnRunner::run(const std::string& command, std::string* output, std::string* error) {
  output->clear();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    if (error) *error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
  if (!cwd_.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd_.c_str());
  std::vector<char*> envp;
  envp.reserve(envp_storage_.size() + 1);
  for (auto& s : envp_storage_) envp.push_back(s.data());
  envp.push_back(nullptr);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid;
  int rc = posix_spawn(&pid, "/bin/sh", &fa, nullptr, const_cast<char* const*>(argv), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    if (error) *error = "cannot run /bin/sh -c '" + command + "': " + std::strerror(rc);
    return false;
  }
  ++spawned_;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output->append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return true;
}

// --- keys -----------------------------------------------------------------------

std::string probe_digest(const std::string& data) { return digest_hex128(data); }

std::string default_probe_dir(const std::string& xdg_cache_home, const std::string& home,
                              const std::string& passwd_home) {
  if (!xdg_cache_home.empty() && xdg_cache_home[0] == '/') return xdg_cache_home + "/kmeta/probes";
  if (!home.empty() && home[0] == '/') return home + "/.cache/kmeta/probes";
  if (!passwd_home.empty() && passwd_home[0] == '/') return passwd_home + "/.cache/kmeta/probes";
  return {};
}

namespace {

constexpr const char* kFormat = "kmeta-probe 2";
// First line of an entry: this, the checksum64 (base/checksum.h) of
// everything after the line (16 hex digits), '\n'. (Entries of version 2,
// with a CRC-32, were named by another digest: never looked up.)
constexpr std::string_view kEntryMagic = "kmeta-probe-entry 3 ";
constexpr size_t kSumDigits = 16;
// Probe outputs are a version string or a few flags; anything larger in the
// cache is not an entry kmeta wrote.
constexpr uint64_t kMaxEntrySize = uint64_t{16} << 20;

// Files a link by a gcc/clang driver reads from its library search
// directories (crt objects, libc, libgcc); their presence and identity are
// part of the key of every probe that runs the compiler.
const char* const kLinkFiles[] = {"crt1.o",      "Scrt1.o",     "crti.o",       "crtn.o", "crtbegin.o",
                                  "crtbeginS.o", "libc.so",     "libc.so.6",    "libc.a", "libc_nonshared.a",
                                  "libgcc.a",    "libgcc_s.so", "libgcc_s.so.1"};

// Environment variables whose value is part of every key: where tools are
// found, the locale tools print in, and what the kernel's probe scripts read
// from their environment (rust_is_available.sh, tools-support-relr.sh).
const char* const kKeyedEnv[] = {
    "PATH",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "LC_MESSAGES",
    "LANGUAGE",
    "CC",
    "LD",
    "AR",
    "NM",
    "OBJCOPY",
    "OBJDUMP",
    "READELF",
    "STRIP",
    "HOSTCC",
    "CLANG_FLAGS",
    "CROSS_COMPILE",
    "LLVM",
    "LLVM_IAS",
    "RUSTC",
    "BINDGEN",
    "PAHOLE",
    "KRUSTFLAGS",
    "RUST_LIB_SRC",
    "RUSTC_BOOTSTRAP",
    "RUSTUP_TOOLCHAIN",
    "RUSTUP_HOME",
    "CARGO_HOME",
    // Where gcc looks for its parts, libraries and headers.
    "LIBRARY_PATH",
    "COMPILER_PATH",
    "GCC_EXEC_PREFIX",
    "CPATH",
    "C_INCLUDE_PATH",
};

// The tool variables whose first word names a program.
const char* const kToolVars[] = {"CC",      "LD",    "AR",     "NM",    "OBJCOPY", "OBJDUMP",
                                 "READELF", "STRIP", "HOSTCC", "RUSTC", "BINDGEN", "PAHOLE"};

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '/' || c == '+' || c == '-';
}

std::string stat_identity(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return {};
  return path + " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

// Like stat_identity, but an absent file is recorded as absent (installing
// it must change the key).
std::string presence_identity(const std::string& path) {
  std::string id = stat_identity(path);
  return id.empty() ? path + " absent" : id;
}

std::string lookup(const std::map<std::string, std::string>& m, const char* k) {
  auto it = m.find(k);
  return it == m.end() ? std::string() : it->second;
}

bool compiler_word(const std::string& w) {
  return ends_with(w, "gcc") || ends_with(w, "cc") || ends_with(w, "clang");
}

std::string sum_hex(std::string_view body) {
  uint64_t c = checksum64(body);
  static const char* hex = "0123456789abcdef";
  std::string r(kSumDigits, '0');
  for (size_t i = 0; i < kSumDigits; ++i) r[kSumDigits - 1 - i] = hex[(c >> (4 * i)) & 15];
  return r;
}

// The output stored in `text` for `material`; nullopt with *why when the
// entry is damaged (or holds another key: a digest collision, no warning).
std::optional<std::string> parse_entry(const std::string& text, const std::string& material,
                                       std::string* why) {
  const size_t head = kEntryMagic.size() + kSumDigits + 1;
  if (text.size() < head || text.compare(0, kEntryMagic.size(), kEntryMagic) != 0 || text[head - 1] != '\n') {
    *why = "not a probe cache entry of this version";
    return std::nullopt;
  }
  std::string_view body = std::string_view(text).substr(head);
  if (text.compare(kEntryMagic.size(), kSumDigits, sum_hex(body)) != 0) {
    *why = "checksum mismatch";
    return std::nullopt;
  }
  // body: "<material size>\n<material><output size>\n<output>"
  size_t nl = body.find('\n');
  if (nl != std::string_view::npos) {
    size_t mlen = std::strtoull(body.data(), nullptr, 10);
    size_t pos = nl + 1;
    if (mlen <= body.size() - pos) {
      if (body.compare(pos, mlen, material) != 0) {
        why->clear();  // another key with the same digest
        return std::nullopt;
      }
      pos += mlen;
      size_t nl2 = body.find('\n', pos);
      if (nl2 != std::string_view::npos) {
        size_t olen = std::strtoull(body.data() + pos, nullptr, 10);
        if (olen == body.size() - (nl2 + 1)) return std::string(body.substr(nl2 + 1));
      }
    }
  }
  *why = "malformed";
  return std::nullopt;
}

}  // namespace

ProbeCache::ProbeCache(ProbeCacheOptions options, CommandRunner execute)
    : opt_(std::move(options)), execute_(std::move(execute)) {
  env_fingerprint_ = kFormat;
  env_fingerprint_ += '\n';
  for (const char* k : kKeyedEnv) {
    auto it = opt_.env.find(k);
    if (it == opt_.env.end()) continue;
    env_fingerprint_ += "env ";
    env_fingerprint_ += k;
    env_fingerprint_ += '=';
    env_fingerprint_ += it->second;
    env_fingerprint_ += '\n';
  }
  for (const char* v : kToolVars) {
    std::string val = lookup(opt_.env, v);
    size_t end = val.find_first_of(" \t");
    std::string word = val.substr(0, end);
    if (!word.empty()) tool_words_.push_back(word);
  }
  if (opt_.mode != ProbeMode::off) {
    std::string why;
    if (opt_.dir.empty()) {
      trusted_ = false;
      warn("no probe cache directory: " + std::string(opt_.mode == ProbeMode::replay
                                                          ? "nothing to replay"
                                                          : "every probe runs, nothing is stored"));
    } else if (!check_private_dir(opt_.dir, &why)) {
      trusted_ = false;
      warn("ignoring the probe cache " + opt_.dir + ": " + why +
           (opt_.mode == ProbeMode::replay ? "" : "; every probe runs, nothing is stored"));
    }
  }
}

void ProbeCache::warn(std::string text) {
  if (std::find(warnings_.begin(), warnings_.end(), text) == warnings_.end())
    warnings_.push_back(std::move(text));
}

std::string ProbeCache::identity_of_path(const std::string& path) {
  std::string abs = path[0] == '/' || opt_.cwd.empty() ? path : opt_.cwd + "/" + path;
  auto [it, fresh] = ident_cache_.try_emplace("p:" + abs);
  if (fresh) it->second = stat_identity(abs);
  return it->second;
}

std::string ProbeCache::identity_of_word(const std::string& word) {
  auto [it, fresh] = ident_cache_.try_emplace("W:" + word);
  if (!fresh) return it->second;
  std::string id = program_identity(word);
  if (compiler_word(word)) id += sysroot_identity(word);
  // (`it` may have moved: the calls above insert into the map.)
  return ident_cache_["W:" + word] = std::move(id);
}

// The library directories of compiler `word` (`word -print-search-dirs`,
// cached under the compiler's identity like any probe), and the identity of
// each file of kLinkFiles in each, absent ones included.
std::string ProbeCache::sysroot_identity(const std::string& word) {
  std::string material = env_fingerprint_ + "search-dirs of\n" + program_identity(word);
  std::string out, err;
  std::string id = "sysroot of " + word + ":\n";
  if (!answer(material, word + " -print-search-dirs", &out, &err, false)) return id + "(unknown)\n";
  std::string dirs;
  for (std::string_view line : split_lines(out))
    if (starts_with(line, "libraries: =")) dirs = line.substr(12);
  for (std::string_view d : split(dirs, ':')) {
    if (d.empty()) continue;
    std::string dir(d);
    if (dir.back() != '/') dir += '/';
    for (const char* f : kLinkFiles) id += presence_identity(dir + f) + "\n";
  }
  return id;
}

std::string ProbeCache::program_identity(const std::string& word) {
  auto [it, fresh] = ident_cache_.try_emplace("w:" + word);
  if (!fresh) return it->second;
  std::string path_var = lookup(opt_.env, "PATH");
  std::string id;
  auto add = [&](const std::string& name) {
    std::string p = find_program(name, path_var);
    id += name + " -> " + (p.empty() ? std::string("(not found)") : stat_identity(p)) + "\n";
  };
  add(word);
  // A gcc driver runs the binutils of its prefix (as-instr, ld through
  // cc-can-link.sh): their upgrade must change the key too.
  if (ends_with(word, "gcc")) {
    std::string prefix = word.substr(0, word.size() - 3);
    add(prefix + "as");
    add(prefix + "ld");
  }
  it->second = std::move(id);
  return it->second;
}

std::string ProbeCache::key_material(const std::string& command) {
  std::string m = env_fingerprint_;
  m += "cmd ";
  m += command;
  m += '\n';
  std::string tools;
  bool runs_script = false;
  std::vector<std::string> seen;
  for (size_t i = 0; i < command.size();) {
    if (!word_char(command[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < command.size() && word_char(command[j])) ++j;
    std::string tok = command.substr(i, j - i);
    i = j;
    if (tok[0] == '-' || std::find(seen.begin(), seen.end(), tok) != seen.end()) continue;
    seen.push_back(tok);
    if (tok.find('/') != std::string::npos) {
      std::string id = identity_of_path(tok);
      if (!id.empty()) {
        tools += "file " + id + "\n";
        runs_script = true;
      }
    } else if (std::find(tool_words_.begin(), tool_words_.end(), tok) != tool_words_.end()) {
      tools += identity_of_word(tok);
    }
  }
  // A script reads the tools from its environment ($CC, $RUSTC, $BINDGEN):
  // key every tool, not only the ones the command line names.
  if (runs_script)
    for (const auto& w : tool_words_)
      if (std::find(seen.begin(), seen.end(), w) == seen.end()) tools += identity_of_word(w);
  return m + tools;
}

std::string ProbeCache::entry_path(const std::string& command) {
  std::string d = probe_digest(key_material(command));
  return opt_.dir + "/" + d.substr(0, 2) + "/" + d.substr(2);
}

bool ProbeCache::run(const std::string& command, std::string* output, std::string* error) {
  if (opt_.mode == ProbeMode::off) return execute_(command, output, error);
  return answer(key_material(command), command, output, error);
}

bool ProbeCache::answer(const std::string& material, const std::string& command, std::string* output,
                        std::string* error, bool count) {
  ProbeStats ignored;
  ProbeStats& st = count ? stats_ : ignored;
  std::string d = probe_digest(material);
  std::string sub = opt_.dir + "/" + d.substr(0, 2);
  std::string path = sub + "/" + d.substr(2);

  if (trusted_) {
    std::string why;
    ReadError kind = ReadError::none;
    auto text =
        read_file(path, &why, &kind, {.max_size = kMaxEntrySize, .nofollow = true, .private_file = true});
    if (text) {
      if (auto out = parse_entry(*text, material, &why)) {
        *output = std::move(*out);
        ++st.hits;
        return true;
      }
      if (!why.empty()) {
        ++st.rejected;
        warn("probe cache entry " + path + " is damaged (" + why + "): probing again");
      }
    } else if (kind != ReadError::missing) {
      ++st.rejected;
      warn("ignoring probe cache entry " + path + ": " + why);
    }
  }
  ++st.misses;
  if (opt_.mode == ProbeMode::replay) {
    if (error)
      *error = "probe cache miss in replay mode: $(shell," + command + ") was never recorded in " + opt_.dir +
               " (entry " + d + ")" +
               (trusted_ ? "; run once without --replay to record it"
                         : " (the cache is not trusted, see the warning)");
    return false;
  }
  if (!execute_(command, output, error)) return false;
  if (!trusted_) return true;
  std::string body =
      std::to_string(material.size()) + "\n" + material + std::to_string(output->size()) + "\n" + *output;
  std::string entry = std::string(kEntryMagic) + sum_hex(body) + "\n" + body;
  if (!dir_made_) {
    // The directories kmeta creates are private (0700), and what it stores
    // into must still pass the check it reads with.
    std::string why;
    dir_made_ = make_private_dirs(opt_.dir) && check_private_dir(opt_.dir, &why);
    if (!dir_made_) {
      if (!why.empty()) warn("not storing into the probe cache " + opt_.dir + ": " + why);
      trusted_ = why.empty();
      ++st.store_errors;
      return true;
    }
  }
  if (make_private_dirs(sub) && write_file_atomic(path, entry))
    ++st.stored;
  else
    ++st.store_errors;
  return true;
}

}  // namespace kmeta::kbuild
