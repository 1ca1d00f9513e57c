// lkc's raw plumbing of a Configuration: the stores, flags and run state that
// lkc's confdata.c, conf.c and randconfig manipulate directly (S_DEF_USER
// stores without validation, SYMBOL_VALID/WRITE/WRITTEN, the 6.1
// SYMBOL_NEED_SET_CHOICE_VALUES pass, the "changed" bit, where a user value
// was read). Everything else reads and sets values through Configuration's
// public interface, which keeps lkc's invariants; only the files that
// implement those lkc parts (confdata.cc, randconfig.cc, choice.cc) and their
// tests use this.
#pragma once

#include <string>
#include <string_view>

#include "kconfig/configuration.h"

namespace kmeta::kconfig {

class LkcPlumbing {
 public:
  explicit LkcPlumbing(Configuration& c) : c_(c) {}

  // Raw stores (no recomputation, no validation), as conf_set_sym_val does.
  void store_tri(SymbolId s, DefSlot slot, Tristate v, bool mark = true) { c_.store_tri(s, slot, v, mark); }
  void store_str(SymbolId s, DefSlot slot, std::string_view v) { c_.store_str(s, slot, v); }
  void set_has_value(SymbolId s, DefSlot slot, bool on) { c_.set_has_value(s, slot, on); }
  // Where the user value came from (explain records).
  void set_user_location(SymbolId s, uint32_t file, int line) { c_.set_user_location(s, file, line); }
  uint32_t add_source_file(std::string name) { return c_.add_source_file(std::move(name)); }
  // Resets a slot of every symbol (start of conf_read_simple).
  void reset_slot(DefSlot slot) { c_.reset_slot(slot); }
  // [6.1] def[].val of a choice symbol: the member chosen by the user.
  void set_user_choice(SymbolId choice, SymbolId member) { c_.set_user_choice(choice, member); }
  // [6.1] SYMBOL_NEED_SET_CHOICE_VALUES handling (all*config).
  void set_need_set_choice_values(SymbolId s) { c_.set_need_set_choice_values(s); }
  void set_all_choice_values(SymbolId choice) { c_.set_all_choice_values(choice); }
  void invalidate(SymbolId s) { c_.invalidate(s); }
  // The writers' flags.
  void clear_write_flag(SymbolId s) { c_.clear_write_flag(s); }
  bool written_flag(SymbolId s) const { return c_.written_flag(s); }
  void set_written_flag(SymbolId s, bool on) { c_.set_written_flag(s, on); }
  void set_changed(bool c) { c_.set_changed(c); }

 private:
  Configuration& c_;
};

// plumbing(cfg).store_tri(...): reads as what it is.
inline LkcPlumbing plumbing(Configuration& c) { return LkcPlumbing(c); }

}  // namespace kmeta::kconfig
