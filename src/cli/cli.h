// The command-line layer: a tool table of subcommands over the libraries.
//
// Only this layer prints, reads the environment and picks exit statuses.
#pragma once

#include <string>
#include <vector>

namespace kmeta::cli {

using Args = std::vector<std::string>;  // the arguments after the command name

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args& args);
};

// The tool table, in the order `kmeta --help` lists it.
const std::vector<Command>& commands();

// Runs one command, turning an exception that escaped it (a library bug, or
// an allocation that failed) into "kmeta: error: ..." on stderr and
// kExitFailure, never an abort. main() runs every command through it.
int run_guarded(const Command& c, const Args& args);

// Entry point of the binary.
int main(int argc, char** argv, const char* version);

// Exit statuses shared by all commands.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and found errors
inline constexpr int kExitUsage = 2;    // bad command line

}  // namespace kmeta::cli
