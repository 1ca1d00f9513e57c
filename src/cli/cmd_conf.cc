// `kmeta conf`: a drop-in for the kernel's scripts/kconfig/conf.
//
// Takes conf's exact command line (`[-s] --MODE[=ARG] KCONFIG_FILE`), reads the
// process environment and hands everything to kconfig::run_conf(). Output is
// printed the way conf's stdio does it: stderr unbuffered, stdout line
// buffered on a terminal and otherwise flushed when conf flushes (before
// reading an answer) and at exit.
//
// kmeta-specific: KMETA_KCONFIG_DIALECT=6.1|6.12 forces the lkc version to
// behave like (default: detected from $srctree/Makefile, else 6.12).
//
// Caches, as `kmeta kconfig` uses them (the kernel loader's session, given
// make's environment instead of deriving it): the $(shell) probes go through
// the probe cache and the parse is reused from the model cache
// ($KMETA_PROBE_CACHE, $XDG_CACHE_HOME/kmeta/probes or ~/.cache/kmeta/probes,
// keyed by the environment make exported, cwd = the O= dir conf runs in).
// KMETA_CONF_CACHE=0 turns both off: every probe runs, every parse is fresh,
// exactly as the kernel's conf does.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/environment.h"
#include "kbuild/kernel_loader.h"
#include "kconfig/conf.h"
#include "kconfig/parser.h"
#include "kconfig/shell_runner.h"

namespace kmeta::cli {
namespace {

using kconfig::Message;
using kconfig::Messages;
using kconfig::Stream;

// Prints the messages logged since the last call.
class Printer {
 public:
  Printer(const Messages& log, bool stdout_tty) : log_(log), tty_(stdout_tty) {}
  void drain(bool flush_stdout) {
    const auto& items = log_.items();
    for (; next_ < items.size(); ++next_) {
      const Message& m = items[next_];
      if (m.stream == Stream::err) {
        std::fwrite(m.text.data(), 1, m.text.size(), stderr);
      } else if (tty_) {
        std::fwrite(m.text.data(), 1, m.text.size(), stdout);
        std::fflush(stdout);
      } else {
        pending_ += m.text;
      }
    }
    if (flush_stdout && !pending_.empty()) {
      std::fwrite(pending_.data(), 1, pending_.size(), stdout);
      std::fflush(stdout);
      pending_.clear();
    }
  }

 private:
  const Messages& log_;
  bool tty_;
  size_t next_ = 0;
  std::string pending_;
};

// Standard input for the oldconfig dialogue; flushes pending output first,
// as conf does with fflush(stdout) before fgets().
class StdinInput : public kconfig::LineInput {
 public:
  explicit StdinInput(Printer& p) : printer_(p) {}
  bool read_line(std::string& line, size_t max) override {
    printer_.drain(true);
    line.clear();
    if (eof_) return false;
    while (line.size() + 1 < max) {
      int c = std::getc(stdin);
      if (c == EOF) {
        eof_ = true;
        break;
      }
      line += static_cast<char>(c);
      if (c == '\n') break;
    }
    return !line.empty();
  }
  bool eof() const override { return eof_; }

 private:
  Printer& printer_;
  bool eof_ = false;
};

}  // namespace

int cmd_conf(const Args& args) {
  std::map<std::string, std::string> env = process_env();

  kconfig::ConfRequest req;
  req.args = args;
  req.progname = "conf";
  req.ctx.env.insert(env.begin(), env.end());
  req.tty = ::isatty(0) && ::isatty(1);

  std::optional<kconfig::Dialect> dialect;
  if (auto it = env.find("KMETA_KCONFIG_DIALECT"); it != env.end())
    dialect = kconfig::dialect_named(it->second);

  // With the caches: the kernel loader's session, on the environment make
  // exported (kbuild/kernel_loader.h). Without: lkc's own popen, cwd and all.
  kconfig::PopenShellRunner shell;
  kbuild::KernelSession session;
  std::string cache_dir = default_probe_cache_dir();
  bool cache = env_or("KMETA_CONF_CACHE", "1") != "0" && !cache_dir.empty();
  if (cache) {
    session.open_exported(env, std::filesystem::current_path().string(), dialect,
                          kbuild::ProbeMode::read_write, cache_dir, true);
    req.load = session.loader();
  } else {
    req.load = [&](const std::string& file, Messages& log) {
      kconfig::ParseOptions po;
      po.dialect = dialect;
      if (auto it = env.find("srctree"); it != env.end()) po.srctree = it->second;
      po.env = env;
      po.shell = &shell;
      return kconfig::parse_kconfig(file, po, log);
    };
  }

  Messages log;
  Printer printer(log, ::isatty(1));
  StdinInput input(printer);
  req.input = &input;
  int rc = kconfig::run_conf(req, log);
  printer.drain(true);
  return rc;
}

}  // namespace kmeta::cli
