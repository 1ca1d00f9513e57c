// The Kconfig model: symbols, expressions, properties and menu nodes of one
// parsed Kconfig tree, in flat arrays indexed by stable ids.
//
// A Model is built by the parser (parser.h), finalized (finalize.h: dependency
// propagation as menu.c does it) and then read-only: evaluation state (user
// values, computed values, choice priority lists) lives in a Configuration
// (configuration.h) that points at a Model. Several models (architectures,
// kernel versions) can live in one process; nothing here is global.
//
// Mirrors lkc's structures (scripts/kconfig/expr.h, lkc.h) closely on purpose,
// because byte identity with conf depends on the same shapes (e.g. the
// finalized expressions printed in "unmet direct dependencies" warnings).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "base/diagnostic.h"
#include "kconfig/id.h"
#include "kconfig/lkc_rules.h"

namespace kmeta::kconfig {

enum class Tristate : uint8_t { no = 0, mod = 1, yes = 2 };
inline Tristate tri_and(Tristate a, Tristate b) { return a < b ? a : b; }
inline Tristate tri_or(Tristate a, Tristate b) { return a > b ? a : b; }
inline Tristate tri_not(Tristate a) { return static_cast<Tristate>(2 - static_cast<int>(a)); }
char tri_char(Tristate t);  // 'n' 'm' 'y'

enum class SymbolType : uint8_t { unknown, boolean, tristate, integer, hex, string };
const char* type_name(SymbolType t);  // "unknown" "bool" "tristate" "int" "hex" "string"
// lkc's sym_type_name, used in its messages: as type_name but "integer".
const char* sym_type_name(SymbolType t);

// Positions in the model's tables, one type per table (id.h); kNone is the
// absent value of each ("no expression / no node / ...").
using SymbolId = Id<struct SymbolTag>;
using ExprId = Id<struct ExprTag>;
using PropId = Id<struct PropTag>;
using NodeId = Id<struct NodeTag>;
static_assert(sizeof(SymbolId) == sizeof(uint32_t) && std::is_trivially_copyable_v<SymbolId>);
static_assert(sizeof(ExprId) == sizeof(uint32_t) && std::is_trivially_copyable_v<ExprId>);
static_assert(sizeof(PropId) == sizeof(uint32_t) && std::is_trivially_copyable_v<PropId>);
static_assert(sizeof(NodeId) == sizeof(uint32_t) && std::is_trivially_copyable_v<NodeId>);

// Well-known symbol ids, created first in every model.
inline constexpr SymbolId kSymYes{0};         // constant y
inline constexpr SymbolId kSymMod{1};         // constant m
inline constexpr SymbolId kSymNo{2};          // constant n
inline constexpr SymbolId kSymFirstOther{3};  // the first symbol after them

enum class ExprKind : uint8_t {
  symbol,   // sym
  and_,     // left && right
  or_,      // left || right
  not_,     // !left
  equal,    // sym = sym2
  unequal,  // sym != sym2
  lth,
  leq,
  gth,
  geq,  // sym <op> sym2
  // [6.12 defect] lkc's expr_transform rewrites `A != y` (A bool) into a NOT
  // whose operand is the *symbol* A mis-cast as an expression; this node is
  // that operand (sym = A). Evaluating it reads garbage: treat its value as a
  // number G > 2 (the high half of a heap pointer), so NOT gives 2 - G, which
  // as an unsigned tristate is also > 2, AND = min and OR = max on those
  // unsigned values, and any value > n counts as "not n" (true). It appears
  // only as !<this> or bare (from !(A != y)); printing it gives lkc's
  // "<unknown type N>" with a meaningless N.
  sym_as_expr,
};

struct Expr {
  ExprKind kind;
  ExprId left = kNone;    // and/or/not
  ExprId right = kNone;   // and/or
  SymbolId sym = kNone;   // symbol and comparisons
  SymbolId sym2 = kNone;  // comparisons
  friend bool operator==(const Expr&, const Expr&) = default;
};

enum SymbolFlags : uint32_t {
  kSymConst = 1u << 0,        // y/m/n, quoted strings, numbers used as literals
  kSymChoice = 1u << 1,       // the (anonymous in 6.12) symbol of a choice block
  kSymChoiceValue = 1u << 2,  // a member of a choice
  kSymOptional = 1u << 3,     // [6.1] `optional` choice
  kSymDefined = 1u << 4,      // has at least one config/menuconfig/choice definition
};

enum class PropKind : uint8_t {
  prompt,    // text + visible condition
  default_,  // expr [if cond]
  select,    // target symbol (expr is a symbol expr) [if cond]
  imply,     // likewise
  range,     // expr is (sym .. sym2) stored as two symbols; [if cond]
  menu,      // prompt of a menu / menuconfig-as-menu node
  comment,   // prompt of a comment node
  symbol,    // [6.1] P_SYMBOL back link of a choice member (lkc bookkeeping)
};

struct Property {
  PropKind kind;
  SymbolId sym = kNone;       // owning symbol (kNone for menu/comment prompts)
  NodeId node = kNone;        // the menu node it was written in
  std::string text;           // prompt text (after macro expansion)
  ExprId expr = kNone;        // default value / select|imply target / (range: unused)
  SymbolId range_lo = kNone;  // range bounds
  SymbolId range_hi = kNone;
  ExprId cond = kNone;  // "if" condition; after finalize: node deps && cond
  Location where;
  ExprId cond_parsed = kNone;  // the "if" condition as written (printing back)
};

struct Symbol {
  std::string name;  // empty for 6.12 choice symbols
  SymbolType type = SymbolType::unknown;
  uint32_t flags = 0;
  ExprId dir_dep = kNone;     // OR over definitions of each definition's full dependency
  ExprId rev_dep = kNone;     // select: OR of (selector && cond)
  ExprId implied = kNone;     // imply: OR of (implier && cond)
  std::vector<PropId> props;  // textual order across all definitions
  std::vector<NodeId> nodes;  // definitions (menu nodes), textual order
  // Choice symbols: members in textual order (6.12 priority list starts here).
  std::vector<SymbolId> members;
  SymbolId choice = kNone;  // for members: the choice symbol they belong to

  bool is(SymbolFlags f) const { return (flags & f) != 0; }
};

enum class NodeKind : uint8_t { root, config, menuconfig, choice, comment, menu, if_ };

struct MenuNode {
  NodeKind kind = NodeKind::config;
  SymbolId sym = kNone;                // config/menuconfig/choice
  PropId prompt = kNone;               // the node's prompt property (symbol prompt, menu or comment)
  ExprId dep = kNone;                  // `depends on` (propagated by finalize)
  ExprId visibility = kNone;           // menu `visible if`
  bool has_help = false;               // text: Model::help(id)
  uint32_t help_at = 0, help_len = 0;  // its span in the model's help text
  NodeId parent = kNone;
  NodeId first_child = kNone;
  NodeId next = kNone;  // next sibling
  Location where;
  ExprId dep_parsed = kNone;                   // `depends on` as written (ANDed), for printing back
  SymbolType type_decl = SymbolType::unknown;  // type keyword written at this definition
};

// An interning, hash-consing store plus the tree. Construction helpers enforce
// the invariants (constants first, symbols interned by name, expressions
// shared), so every producer builds models the same way.
class Model {
 public:
  Model();
  explicit Model(Dialect d) : Model() { dialect = d; }

  // Which lkc the tree behaves like (lkc_rules.h); rules() is its row.
  Dialect dialect = Dialect::v6_12;
  const LkcRules& rules() const { return lkc_rules(dialect); }

  // --- symbols -------------------------------------------------------------
  // Interns a non-constant symbol by name (created at first mention, which
  // fixes its position in lkc's hash-table order).
  SymbolId intern(std::string_view name);
  // A constant symbol (quoted string or y/m/n); y/m/n return kSymYes/Mod/No.
  SymbolId intern_const(std::string_view name);
  // Lookup without creating (lkc sym_find: y/m/n give the constants, quoted
  // constants are never found); kNone if absent.
  SymbolId find(std::string_view name) const;
  SymbolId new_choice_symbol(SymbolType type = SymbolType::boolean);  // anonymous choice symbol
  // [6.1] `choice NAME`: choices are looked up by name among choices only.
  SymbolId intern_choice(std::string_view name);
  const Symbol& sym(SymbolId id) const { return symbols_[id]; }
  Symbol& sym(SymbolId id) { return symbols_[id]; }
  size_t symbol_count() const { return symbols_.size(); }
  IdRange<SymbolId> symbol_ids() const { return symbols_.ids(); }

  // --- expressions (hash-consed: equal shapes get equal ids) ---------------
  ExprId e_sym(SymbolId s);
  ExprId e_cmp(ExprKind k, SymbolId a, SymbolId b);
  // As lkc's expr_alloc_and/or: a kNone operand is dropped and the other one
  // returned. What kNone *means* depends on the slot (no dependency = y, no
  // reverse dependency = n), exactly as NULL does in lkc.
  ExprId e_and(ExprId a, ExprId b);
  ExprId e_or(ExprId a, ExprId b);
  ExprId e_not(ExprId a);
  ExprId e_sym_as_expr(SymbolId s);  // see ExprKind::sym_as_expr
  const Expr& expr(ExprId id) const { return exprs_[id]; }
  size_t expr_count() const { return exprs_.size(); }
  IdRange<ExprId> expr_ids() const { return exprs_.ids(); }

  // --- properties and nodes ------------------------------------------------
  PropId add_prop(Property p);
  const Property& prop(PropId id) const { return props_[id]; }
  Property& prop(PropId id) { return props_[id]; }
  size_t prop_count() const { return props_.size(); }
  IdRange<PropId> prop_ids() const { return props_.ids(); }

  NodeId add_node(MenuNode n);  // appended as last child of n.parent (if any)
  // Stores a node without linking it into the tree (the parser links nodes
  // itself, as lkc's menu_add_entry does); registers it with its symbol.
  NodeId new_node(MenuNode n);
  const MenuNode& node(NodeId id) const { return nodes_[id]; }
  MenuNode& node(NodeId id) { return nodes_[id]; }
  size_t node_count() const { return nodes_.size(); }
  IdRange<NodeId> node_ids() const { return nodes_.ids(); }
  NodeId root() const { return NodeId(0); }

  // A node's help text ("" when it has none). All texts share one buffer; a
  // model decoded from the model cache reads that buffer from the cache file
  // only when the first text is asked for (thread-safe), so runs that never
  // show help never hold it.
  std::string_view help(NodeId id) const;
  void set_help(NodeId id, std::string_view text);  // also sets has_help

  // Drops what only building needed: spare capacity of the tables and the
  // expression index (rebuilt by the next e_*() call, if any). The parser
  // calls it once the model is final; nothing changes but memory.
  void compact();

  // Calls f(NodeId) for every node depth-first in menu order (root first).
  template <class F>
  void walk(F&& f) const {
    walk_from(root(), f);
  }

  // --- whole-tree facts ----------------------------------------------------
  SymbolId modules_sym = kSymNo;   // the symbol with the `modules` attribute
  std::string mainmenu;            // root prompt (after expansion); "Main menu" if none
  std::vector<std::string> files;  // every Kconfig file opened, in order
  // Environment variables consulted through $(NAME), with their values (auto.conf.cmd).
  std::vector<std::pair<std::string, std::string>> env_used;
  // Names consulted through $(NAME) while unset (not in auto.conf.cmd; a
  // cached model is only reused while they stay unset).
  std::vector<std::string> env_unset;

  // Prints an expression the way lkc's expr_print does (NAME [=v] forms are
  // added by the evaluator, which knows values; this prints names only).
  // See printer.h for the variant with a value callback.
  std::string expr_to_string(ExprId e) const;

 private:
  template <class F>
  void walk_from(NodeId n, F& f) const {
    f(n);
    for (NodeId c = nodes_[n].first_child; c != kNone; c = nodes_[c].next) walk_from(c, f);
  }
  ExprId cons(const Expr& e);
  friend class ModelCodec;  // model_codec.cc: (de)serialization

  IdVec<SymbolId, Symbol> symbols_;
  struct StrHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using NameMap = std::unordered_map<std::string, SymbolId, StrHash, std::equal_to<>>;
  NameMap by_name_;
  NameMap consts_;
  NameMap choices_;  // [6.1] named choices
  IdVec<ExprId, Expr> exprs_;
  // Open-addressing index over exprs_ (ids; kNone = empty slot).
  std::vector<ExprId> expr_slots_;
  void grow_expr_index();
  IdVec<PropId, Property> props_;
  IdVec<NodeId, MenuNode> nodes_;
  IdVec<NodeId, NodeId> last_child_;  // per node, for O(1) append
  struct HelpText {
    std::string text;
    // Set by the codec for a lazily read buffer; run once, on first use.
    std::function<bool(std::string*)> load;
    std::once_flag once;
  };
  const std::string& help_text() const;
  std::shared_ptr<HelpText> help_ = std::make_shared<HelpText>();
};

// The order in which lkc iterates its symbol table (for_all_symbols): FNV-1a
// of the name (bytes as signed char) modulo 16384 buckets (6.12) or 9973
// (6.1), bucket by bucket, newest symbol first within a bucket; nameless
// choices live in bucket 0. Every symbol except y/m/n is listed, constants
// (quoted strings) and choices included. Deterministic: it depends only on
// names and creation order.
std::vector<SymbolId> hash_order(const Model& m);
uint32_t symbol_hash(std::string_view name);  // FNV-1a as lkc's hash_str/strhash

}  // namespace kmeta::kconfig
