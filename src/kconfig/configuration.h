// Configuration: the values of one configuration over an immutable Model.
//
// This is lkc's evaluation state (scripts/kconfig/symbol.c) moved out of the
// symbols into a value object: user values (`def[S_DEF_USER]`), the values
// read from include/config/auto.conf (`def[S_DEF_AUTO]`), computed values
// (`curr`), visibility, the VALID/WRITE flags, the 6.12 choice priority lists
// and the 6.12 expression value cache. The Model is never modified, so
// several Configurations (e.g. one per defconfig) can share it.
//
// Values are computed lazily and memoised exactly like sym_calc_value(): a
// symbol is marked valid *before* it is computed, so a re-entrant request
// during its own computation sees the type's initial value. Stderr output
// (unmet-dependency warnings) depends on that order, so callers that need
// byte identity with conf must request values in conf's order (the conf front
// end, confdata.h, does).
//
// Besides the value, every computation records *why* the value came out as it
// did (Origin, see why()): the audit and `kmeta why` read that record instead
// of re-deriving the rules.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kconfig/messages.h"
#include "kconfig/model.h"

namespace kmeta::kconfig {

// Which value slot of a symbol an operation addresses (lkc's S_DEF_USER /
// S_DEF_AUTO).
enum class DefSlot : uint8_t { user, auto_ };

// Why a symbol has its current value. Filled when the value is computed.
struct Origin {
  enum class Source : uint8_t {
    not_computed,   // the value was never requested
    constant,       // y / m / n
    untyped,        // symbol without a type: its value is its name, tristate n
    user,           // the user value (visible symbol with a value from a config file / answer)
    default_value,  // an active `default` property (see prop)
    implied,        // raised by `imply` (no or lower default)
    selected,       // raised by `select` above everything else
    choice,         // decided by its choice group (see choice_*)
    initial,        // nothing applied: the type's initial value (n, "", 0, 0x0)
  };
  // How a choice member's group decided (6.12 sym_calc_choice; 6.1 mapped onto it).
  enum class ChoiceRule : uint8_t {
    none,
    user_y,          // first visible member with user value y (priority list)
    default_member,  // the choice's default (a `default` property or first visible member)
    first_unset,     // 6.12: first visible member without a user value
    last_n,          // 6.12: the visible member whose `n` was read first
    mod_mode,        // 6.1 tristate choice in `m` mode: member evaluated on its own
    invisible,       // member not visible: n
  };

  Source source = Source::not_computed;
  SymbolId symbol = kNone;
  // The default property that applied (default_value, or considered under
  // implied/selected); kNone if none was active.
  PropId default_prop = kNone;
  // The user value, when the symbol has one (used or not).
  bool has_user_value = false;
  bool user_value_used = false;       // false: invisible (ignored) or overridden
  std::string user_value;             // "y"/"m"/"n" or the string as read
  Location user_at;                   // config file line the value came from (empty if set otherwise)
  bool capped_by_visibility = false;  // user y on an m-visible tristate became m
  bool capped_by_dependency = false;  // an implied value was limited by `depends on`
  bool promoted_to_y = false;         // m became y (bool, or modules off)
  // select/imply: the symbols whose reverse-dependency term is not n now, with
  // the term's value (rev_dep / implied are ORs of `SYM && cond` terms).
  struct Contributor {
    SymbolId sym = kNone;
    ExprId term = kNone;
    Tristate value = Tristate::no;
  };
  std::vector<Contributor> selectors;
  std::vector<Contributor> impliers;
  // Dependency values that bounded the result.
  Tristate visibility = Tristate::no;  // OR of the prompt conditions
  Tristate dir_dep = Tristate::yes;    // `depends on` (OR over definitions)
  Tristate rev_dep = Tristate::no;     // select
  Tristate implied_by = Tristate::no;  // imply
  bool unmet_dependencies = false;     // selected above its `depends on` (lkc warned)
  // int/hex: the range property that was active and whether it clamped.
  PropId range_prop = kNone;
  bool range_clamped = false;
  std::string unclamped_value;  // the value before clamping
  // Choice members.
  SymbolId choice = kNone;  // the choice symbol
  SymbolId chosen = kNone;  // the member the group chose
  ChoiceRule choice_rule = ChoiceRule::none;
  PropId choice_default_prop = kNone;  // choice `default` that named the chosen member
  bool written = false;                // WRITE flag: appears in .config
};

class Configuration {
 public:
  // What every Configuration of one model derives from the model alone
  // (compact per-symbol records, the prompt/default/range index, choice
  // membership, the symbol-table order). Read-only once built: build it once
  // per model with index() and share it between the model's Configurations
  // (also across threads); constructing with it skips that work.
  struct Index;
  static std::shared_ptr<const Index> index(const Model& model);

  // `sink` receives lkc's messages (unmet-dependency warnings, config reading
  // warnings); if null, the Configuration keeps its own log (messages()).
  explicit Configuration(const Model& model, Messages* sink = nullptr);
  // `index` must have been built from `model`.
  Configuration(const Model& model, std::shared_ptr<const Index> index, Messages* sink = nullptr);
  Configuration(const Configuration&) = delete;
  Configuration& operator=(const Configuration&) = delete;

  const Model& model() const { return *model_; }
  Dialect dialect() const { return model_->dialect; }
  // What this model's lkc version does (lkc_rules.h).
  const LkcRules& rules() const { return model_->rules(); }
  Messages& messages() { return *log_; }

  // --- computing values (symbol.c) ---------------------------------------
  // sym_calc_value: compute `s` unless it is valid already.
  void calc(SymbolId s);
  // expr_calc_value: value of an expression (kNone = y), computing symbols on
  // the way; 6.12 caches per expression node until clear_all_valid().
  Tristate eval(ExprId e);
  // sym_clear_all_valid: invalidate everything, mark the run changed, and
  // recompute the modules symbol.
  void clear_all_valid();
  // Computes every symbol in symbol-table (hash) order, as conf_read does.
  void calc_all();

  // Computed value, computing it first if needed.
  Tristate tri(SymbolId s) {
    calc(s);
    return state_[s].tri;
  }
  std::string_view str(SymbolId s) {
    calc(s);
    return string_value(s);
  }
  // Without computing (lkc's sym_get_tristate_value / sym_get_string_value).
  Tristate tri_now(SymbolId s) const { return state_[s].tri; }
  std::string_view string_value(SymbolId s) const;
  // sym_get_type: tristate behaves as bool when modules are off (6.1: also a
  // y-visible member of a choice).
  SymbolType effective_type(SymbolId s) const;
  Tristate visibility(SymbolId s) const { return state_[s].visible; }
  Tristate dir_dep_value(SymbolId s) const { return state_[s].dir_dep; }
  Tristate rev_dep_value(SymbolId s) const { return state_[s].rev_dep; }
  Tristate implied_value(SymbolId s) const { return state_[s].implied; }
  bool valid(SymbolId s) const { return state_[s].flags & kValid; }
  // The WRITE flag: would be written to .config.
  bool write_flag(SymbolId s) const { return state_[s].flags & kWrite; }
  Tristate modules_value() const { return modules_val_; }
  // Cached visibility of a prompt property (prop->visible.tri).
  Tristate prompt_visibility(PropId p) const { return prop_vis_[p]; }

  // sym_calc_visibility (also refreshes dir_dep/rev_dep/implied values).
  void calc_visibility(SymbolId s);
  // sym_is_changeable: visible above what select forces.
  bool changeable(SymbolId s) const;
  // sym_tristate_within_range
  bool tristate_within_range(SymbolId s, Tristate v) const;
  // sym_string_within_range: valid for the type and inside the active range.
  bool string_within_range(SymbolId s, std::string_view v);
  // sym_get_string_default (savedefconfig's notion of "the default").
  std::string_view string_default(SymbolId s);
  // menu_is_visible for a menu node (6.1: may mark the symbol as set, as lkc).
  bool node_visible(NodeId n);

  // --- choices ---------------------------------------------------------------
  bool is_choice(SymbolId s) const { return info_[s].is_choice; }
  bool is_choice_value(SymbolId s) const { return member_choice_[s] != kNone; }
  // The choice symbol a member belongs to (kNone otherwise).
  SymbolId choice_of(SymbolId member) const { return member_choice_[member]; }
  // 6.12 sym_calc_choice: decide the group, return the chosen member.
  SymbolId calc_choice(SymbolId choice);
  // sym_choice_default.
  SymbolId choice_default(SymbolId choice);
  // The 6.12 priority list of a choice (front = highest priority).
  const std::vector<SymbolId>& priority_list(SymbolId choice) const;
  // Members in menu order (6.12: every symbol node under the choice node;
  // 6.1: the P_CHOICE list).
  const std::vector<SymbolId>& choice_entries(SymbolId choice) const;
  // The menu node of a choice (its `choice` statement).
  NodeId choice_node(SymbolId choice) const;
  // 6.12: move a member to the front (config file) / back (randconfig) of its
  // choice's priority list.
  void prioritize_member(SymbolId member, bool to_front);

  // --- user values (def[S_DEF_USER] / def[S_DEF_AUTO]) ----------------------
  bool has_value(SymbolId s, DefSlot slot = DefSlot::user) const {
    return state_[s].flags & (slot == DefSlot::user ? kDefUser : kDefAuto);
  }
  Tristate def_tri(SymbolId s, DefSlot slot = DefSlot::user) const {
    return slot == DefSlot::user ? state_[s].user_tri : state_[s].auto_tri;
  }
  std::string_view def_str(SymbolId s, DefSlot slot = DefSlot::user) const {
    return slot == DefSlot::user ? state_[s].user_val : state_[s].auto_val;
  }
  // [6.1] def[].val of a choice symbol: the member chosen by the user.
  SymbolId user_choice(SymbolId choice) const { return state_[choice].user_choice; }

  // Interactive setters (sym_set_tristate_value, sym_set_string_value,
  // choice_set_value): validate, store, recompute on change.
  bool set_tristate_value(SymbolId s, Tristate v);
  bool set_string_value(SymbolId s, std::string_view v);
  void choice_set_value(SymbolId choice, SymbolId member);

  // --- run state --------------------------------------------------------------
  bool changed() const { return changed_; }
  // Number of unmet-dependency warnings printed so far (sym_warnings).
  int unmet_dep_warnings() const { return sym_warnings_; }

  // lkc's symbol-table iteration order (for_all_symbols): buckets of FNV-1a
  // of the name (16384 in 6.12, 9973 in 6.1), newest first within a bucket.
  const std::vector<SymbolId>& table_order() const { return table_order_; }

  // --- explaining ------------------------------------------------------------
  // Why `s` has its current value (does not compute anything).
  Origin why(SymbolId s) const;

  // expr_gstr_print: `NAME [=value]` style rendering with current values
  // (no computation; `<choice>` for choice symbols).
  void print_expr(ExprId e, std::string& out) const;
  // expr_gstr_print_revdep: one "  - term" line per OR-term whose value is
  // `which`, preceded by `title` once. Evaluates terms (may compute).
  void print_revdep(ExprId e, Tristate which, std::string_view title, std::string& out);

 private:
  // --- lkc's plumbing: only through LkcPlumbing (lkc_plumbing.h) ---------------
  friend class LkcPlumbing;
  // Raw stores (no recomputation, no validation), as conf_set_sym_val does.
  void store_tri(SymbolId s, DefSlot slot, Tristate v, bool mark = true);
  void store_str(SymbolId s, DefSlot slot, std::string_view v);
  void set_has_value(SymbolId s, DefSlot slot, bool on);
  // Where the user value came from (explain records).
  void set_user_location(SymbolId s, uint32_t file, int line);
  uint32_t add_source_file(std::string name);  // returns an index for set_user_location
  // Resets a slot of every symbol (start of conf_read_simple).
  void reset_slot(DefSlot slot);
  void set_user_choice(SymbolId choice, SymbolId member) { state_[choice].user_choice = member; }
  // [6.1] SYMBOL_NEED_SET_CHOICE_VALUES handling (all*config).
  void set_need_set_choice_values(SymbolId s) { state_[s].flags |= kNeedSetChoice; }
  void set_all_choice_values(SymbolId choice);
  void invalidate(SymbolId s) { state_[s].flags &= ~kValid; }
  // The writers' flags.
  void clear_write_flag(SymbolId s) { state_[s].flags &= ~kWrite; }
  bool written_flag(SymbolId s) const { return state_[s].flags & kWritten; }
  void set_written_flag(SymbolId s, bool on) {
    if (on)
      state_[s].flags |= kWritten;
    else
      state_[s].flags &= ~kWritten;
  }
  void set_changed(bool c) { changed_ = c; }

  static constexpr uint32_t kNoFile = UINT32_MAX;  // SymState::user_file: none
  enum Flag : uint16_t {
    kValid = 1u << 0,
    kWrite = 1u << 1,
    kWritten = 1u << 2,
    kDefUser = 1u << 3,
    kDefAuto = 1u << 4,
    kNeedSetChoice = 1u << 5,  // [6.1]
  };
  // Origin bits recorded during computation (see Origin).
  enum OriginBit : uint8_t {
    kOUserUsed = 1u << 0,
    kOVisCapped = 1u << 1,
    kODepCapped = 1u << 2,
    kOPromoted = 1u << 3,
    kORangeClamped = 1u << 4,
    kOUnmet = 1u << 5,
  };

  struct SymState {
    std::string_view val;         // curr.val
    Tristate tri = Tristate::no;  // curr.tri
    Tristate visible = Tristate::no;
    Tristate dir_dep = Tristate::no;
    Tristate rev_dep = Tristate::no;
    Tristate implied = Tristate::no;
    uint16_t flags = 0;
    Tristate user_tri = Tristate::no;
    Tristate auto_tri = Tristate::no;
    std::string_view user_val;
    std::string_view auto_val;
    SymbolId user_choice = kNone;  // [6.1] choice: def[USER].val (a member)
    SymbolId curr_choice = kNone;  // [6.1] choice: curr.val (the chosen member)
    // Origin record.
    Origin::Source source = Origin::Source::not_computed;
    uint8_t obits = 0;
    PropId oprop = kNone;        // default property used
    PropId orange = kNone;       // active range property
    std::string_view unclamped;  // value before range clamping
    uint32_t user_file = kNoFile;
    int user_line = 0;
  };

  // Compact, evaluation-ordered copies of what calc() reads from the model
  // (the model's Symbol/Property records are large; these stay in cache).
  struct SymInfo {
    SymbolType type = SymbolType::unknown;
    bool is_choice = false;
    ExprId dir_dep = kNone, rev_dep = kNone, implied = kNone;
  };
  struct CondRef {
    PropId prop;
    ExprId cond;
    ExprId expr;                      // defaults: the value expression
    SymbolId lo = kNone, hi = kNone;  // ranges
  };
  // Per symbol [begin[s], begin[s+1]) slices of refs, textual order.
  struct PropIndex {
    std::vector<uint32_t> begin;
    std::vector<CondRef> refs;
    const CondRef* first(SymbolId s) const { return refs.data() + begin[s.index()]; }
    const CondRef* last(SymbolId s) const { return refs.data() + begin[s.index() + 1]; }
  };

  struct ChoiceInfo {
    SymbolId sym = kNone;
    NodeId node = kNone;
    std::vector<SymbolId> entries;   // sub-entry symbols in menu order (6.1: P_CHOICE list)
    std::vector<SymbolId> priority;  // 6.12 priority list
    SymbolId chosen = kNone;         // last decision
    Origin::ChoiceRule rule = Origin::ChoiceRule::none;
    PropId default_prop = kNone;
  };

  void init_state();
  void calc_bool(SymbolId s, SymState& st, Tristate& newtri);
  void calc_string(SymbolId s, SymState& st, std::string_view& newval);
  PropId default_prop(SymbolId s);  // sym_get_default_prop
  PropId range_prop(SymbolId s);    // sym_get_range_prop
  int64_t range_val(SymbolId bound, int base);
  void validate_range(SymbolId s);
  SymbolId calc_choice_61(SymbolId choice);
  SymbolId choice_default_61(SymbolId choice);
  void warn_unmet_dep(SymbolId s);
  Tristate eval_uncached(ExprId e);
  Tristate compare(const Expr& x) const;
  std::string_view intern(std::string_view s);
  ChoiceInfo& choice_info(SymbolId choice) { return choices_[choice_slot_[choice]]; }
  const ChoiceInfo& choice_info(SymbolId choice) const { return choices_[choice_slot_[choice]]; }

  const Model* model_;
  Messages own_log_;
  Messages* log_;
  IdVec<SymbolId, SymState> state_;
  std::shared_ptr<const Index> index_;  // the model's tables (shared)
  const IdVec<SymbolId, SymInfo>& info_;
  const PropIndex &prompts_, &defaults_, &ranges_;
  IdVec<PropId, Tristate> prop_vis_;  // prop->visible.tri
  // 6.12: cached value per expression node; kExprUnknown = not cached. (Values
  // above y occur: the 6.12 `BOOL != y` defect evaluates to "garbage > y".)
  static constexpr uint8_t kExprUnknown = 0x80;
  IdVec<ExprId, uint8_t> expr_cache_;
  const IdVec<SymbolId, SymbolId>& member_choice_;  // choice symbol of each member
  const IdVec<SymbolId, uint32_t>& choice_slot_;    // choice symbol -> index in choices_
  std::vector<ChoiceInfo> choices_;  // a copy of the index's (decisions, 6.12 priority lists change)
  const std::vector<SymbolId>& table_order_;
  std::deque<std::string> strings_;  // stable storage for values read or set
  std::vector<std::string> source_files_;
  Tristate modules_val_ = Tristate::no;
  bool changed_ = true;  // conf_parse ends with conf_set_changed(true)
  int sym_warnings_ = 0;
};

struct Configuration::Index {
  IdVec<SymbolId, SymInfo> info;
  PropIndex prompts, defaults, ranges;
  IdVec<SymbolId, SymbolId> member_choice;
  IdVec<SymbolId, uint32_t> choice_slot;
  std::vector<ChoiceInfo> choices;  // as no value has decided them yet
  std::vector<SymbolId> table_order;
};

}  // namespace kmeta::kconfig
