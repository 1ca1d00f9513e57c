// A small LALR(1) table builder with Bison's table semantics.
//
// lkc's parser is a Bison (yacc.c skeleton) parser, and its observable
// behaviour on malformed input (which "syntax error" is printed where, which
// tokens error recovery discards, which half-built entries are popped and
// reported as "missing end statement") follows from Bison's tables: LALR(1)
// states, precedence-resolved conflicts, "most common reduction" default
// actions, no default reduction in states that can shift `error`, and states
// whose only action is a default reduction not reading a lookahead at all.
// Building the same tables from the same grammar reproduces all of that, so the
// parser (parser.cc) is table driven rather than hand written.
//
// Symbols are numbered terminals first (0 = end of input, 1 = `error`), then
// nonterminals. Rule 0 must be `$accept: start $end`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kmeta::kconfig::lalr {

enum class Assoc : uint8_t { none, left, right, nonassoc };

struct Rule {
  int lhs = 0;
  std::vector<int> rhs;
  int action = 0;  // opaque tag for the caller's semantic action
};

struct Grammar {
  int n_terminals = 0;
  int n_symbols = 0;               // terminals + nonterminals
  std::vector<std::string> names;  // per symbol, for diagnostics
  std::vector<Rule> rules;
  std::vector<int> prec;     // per terminal: 0 = none, higher binds tighter
  std::vector<Assoc> assoc;  // per terminal
};

// Parse tables. Actions per (state, terminal): > 0 shift to state (value - 1),
// < 0 reduce by rule (-value - 1), 0 = the state's default action.
struct Tables {
  int n_states = 0;
  int n_terminals = 0;
  int n_symbols = 0;
  std::vector<int> action;               // n_states * n_terminals
  std::vector<int> default_rule;         // per state: rule to reduce by default, -1 = error
  std::vector<uint8_t> needs_lookahead;  // per state: some non-default action exists
  std::vector<int> go;                   // n_states * n_symbols (nonterminal columns used), -1 = none
  std::vector<int> rule_lhs, rule_len, rule_action;
  int final_state = -1;                // entered after shifting end of input: accept
  std::vector<std::string> names;      // per symbol
  std::vector<std::string> conflicts;  // unresolved conflicts (should be none)

  int act(int state, int term) const { return action[static_cast<size_t>(state) * n_terminals + term]; }
  int go_to(int state, int nt) const { return go[static_cast<size_t>(state) * n_symbols + nt]; }
};

Tables build(const Grammar& g);

}  // namespace kmeta::kconfig::lalr
