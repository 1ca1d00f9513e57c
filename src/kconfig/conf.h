// The conf front end (scripts/kconfig/conf.c) as a library function.
//
// run_conf() takes conf's command line (`[-s] --MODE[=ARG] KCONFIG_FILE`,
// parsed the way getopt_long does), an environment map, a working directory
// and a way to parse the Kconfig tree, and does what conf does: read the
// configuration for the mode, apply the mode (all*config, randconfig,
// rewrites, the oldconfig dialogue, list/help new symbols), then write
// .config / savedefconfig / the side outputs. Everything conf would print is
// appended to a Messages log in order; the return value is conf's exit status.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kconfig/confdata.h"
#include "kconfig/configuration.h"
#include "kconfig/messages.h"
#include "kconfig/model.h"

namespace kmeta::kconfig {

enum class ConfMode : uint8_t {
  oldaskconfig,
  syncconfig,
  oldconfig,
  allnoconfig,
  allyesconfig,
  allmodconfig,
  alldefconfig,
  randconfig,
  defconfig,
  savedefconfig,
  listnewconfig,
  helpnewconfig,
  olddefconfig,
  yes2modconfig,
  mod2yesconfig,
  mod2noconfig,
};

// Standard input of the line dialogue (fgets semantics).
class LineInput {
 public:
  virtual ~LineInput() = default;
  // Reads up to max-1 bytes, stopping after a newline. False at end of input.
  virtual bool read_line(std::string& line, size_t max) = 0;
  virtual bool eof() const = 0;
};

// All input given up front (tests, piped answers).
class StringInput : public LineInput {
 public:
  explicit StringInput(std::string text) : text_(std::move(text)) {}
  bool read_line(std::string& line, size_t max) override;
  bool eof() const override { return eof_; }

 private:
  std::string text_;
  size_t pos_ = 0;
  bool eof_ = false;
};

// Parses a Kconfig tree; returns null after a fatal parse error (messages
// already logged). The CLI wires this to parse_kconfig().
using ModelLoader = std::function<std::unique_ptr<Model>(const std::string& kconfig_file, Messages& log)>;

struct ConfRequest {
  std::vector<std::string> args;  // the arguments after the program name
  std::string progname = "conf";  // argv[0], used in usage and getopt messages
  ConfContext ctx;                // cwd, environment, tmp-file suffix
  ModelLoader load;
  LineInput* input = nullptr;  // stdin; null = empty input
  bool tty = false;            // stdin and stdout are terminals (no answer echo)
  // KCONFIG_SEED fallback; if empty, derived from the clock as conf does.
  std::function<uint32_t()> time_seed;
  // When set, receives the loaded model after the run instead of it being
  // freed (a CLI about to exit can leave it to the OS).
  std::unique_ptr<Model>* keep_model = nullptr;
};

// Runs conf. Returns its exit status (0, or 1 on any failure).
int run_conf(const ConfRequest& req, Messages& log);

// The usage text conf prints for -h and a missing Kconfig file.
std::string conf_usage(const std::string& progname);

// --- pieces, exposed for tests and other front ends ----------------------------

// conf_set_all_new_symbols for all{no,yes,mod,def}config (not randconfig).
void set_all_new_symbols(Configuration& cfg, ConfMode mode);

// KCONFIG_PROBABILITY parsed as conf does: probabilities of bool=y,
// tristate=y, tristate=m. nullopt when a value is out of range (conf exits 1).
struct RandProbabilities {
  int bool_y = 50, tri_y = 33, tri_m = 33;
};
std::optional<RandProbabilities> parse_probability(const std::string* env);
// randconfig's pass(es) with a glibc-compatible generator seeded by `seed`.
class GlibcRand;
void randomize_config(Configuration& cfg, const RandProbabilities& p, GlibcRand& rng);
// conf_rewrite_tristates (yes2mod / mod2yes / mod2no).
void rewrite_tristates(Configuration& cfg, Tristate from, Tristate to);

// menu_get_ext_help: the help block of a menu node as conf prints it
// (header, help text, "Symbol:" relations).
std::string node_help(Configuration& cfg, NodeId node, std::string_view prefix);

}  // namespace kmeta::kconfig
