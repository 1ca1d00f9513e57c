#include "kconfig/conf_dialog.h"

#include <cstdlib>

#include "kconfig/cnum.h"
#include "kconfig/tristate_names.h"

namespace kmeta::kconfig {
namespace {

// Thrown to leave the dialogue where conf calls exit(1).
struct Abort {};

std::string spaces(int n) { return n > 0 ? std::string(static_cast<size_t>(n), ' ') : std::string(); }
// printf("%*c", width, c)
std::string padc(int width, char c) { return spaces(width - 1) + c; }

void strip(std::string& s) {
  size_t b = 0;
  while (b < s.size() && c_isspace(s[b])) ++b;
  size_t e = s.size();
  while (e > b && c_isspace(s[e - 1])) --e;
  s = s.substr(b, e - b);
}

int c_atoi(std::string_view s) { return static_cast<int>(c_strtoll(s, 10).value); }

}  // namespace

std::string_view Dialog::prompt_text(NodeId n) const {
  if (n == m_.root()) {
    const MenuNode& r = m_.node(n);
    if (r.prompt != kNone) return m_.prop(r.prompt).text;
    return m_.mainmenu.empty() ? std::string_view("Main menu") : std::string_view(m_.mainmenu);
  }
  const MenuNode& nd = m_.node(n);
  if (nd.prompt != kNone) return m_.prop(nd.prompt).text;
  if (nd.sym != kNone) return m_.sym(nd.sym).name;
  return {};
}

PropKind Dialog::prompt_kind(NodeId n) const {
  if (n == m_.root()) return PropKind::menu;
  return m_.prop(m_.node(n).prompt).kind;
}

NodeId Dialog::parent_menu(NodeId n) const {
  for (; n != m_.root() && n != kNone; n = m_.node(n).parent) {
    if (m_.node(n).prompt != kNone && m_.prop(m_.node(n).prompt).kind == PropKind::menu) break;
  }
  return n == kNone ? m_.root() : n;
}

bool Dialog::run() {
  try {
    if (opts_.mode == ConfMode::oldaskconfig) {
      root_entry_ = m_.root();
      conf(m_.root());
      opts_.mode = ConfMode::oldconfig;
    }
    do {
      conf_cnt_ = 0;
      check_conf(m_.root());
    } while (conf_cnt_);
  } catch (const Abort&) {
    return false;
  }
  return true;
}

void Dialog::print_help(NodeId menu) { out("\n" + node_help(cfg_, menu, opts_.prefix) + "\n"); }

void Dialog::read_answer() {
  std::string l;
  if (!in_.read_line(l, 4096))
    log_.err("\nError in reading or end of file.\n", Severity::warning);
  else
    line_ = l;
  if (size_t z = line_.find('\0'); z != std::string::npos) line_.resize(z);
  if (!opts_.tty) out(line_);
}

bool Dialog::askvalue(SymbolId sym, std::string_view def) {
  if (!cfg_.has_value(sym)) out("(NEW) ");
  line_ = "\n";
  if (!cfg_.changeable(sym)) {
    out(std::string(def) + "\n");
    return false;
  }
  switch (opts_.mode) {
    case ConfMode::oldconfig:
    case ConfMode::syncconfig:
      if (cfg_.has_value(sym)) {
        out(std::string(def) + "\n");
        return false;
      }
      [[fallthrough]];
    default: read_answer(); break;
  }
  return true;
}

bool Dialog::conf_string(NodeId menu) {
  SymbolId sym = m_.node(menu).sym;
  while (true) {
    out(spaces(indent_ - 1) + std::string(prompt_text(menu)) + " ");
    out("(" + m_.sym(sym).name + ") ");
    std::string def(cfg_.string_value(sym));
    bool have_def = true;
    out("[" + def + "] ");
    if (!askvalue(sym, def)) return false;
    if (line_.empty()) {
      // unreachable with fgets semantics; treat like an empty answer
    } else if (line_[0] == '\n') {
    } else if (line_[0] == '?' && line_.size() >= 2 && line_[1] == '\n') {
      print_help(menu);
      have_def = false;
    } else {
      line_.pop_back();
      def = line_;
    }
    if (have_def && cfg_.set_string_value(sym, def)) return false;
    // 6.12 stops here at end of input; 6.1 re-asks forever (growing the
    // output without bound). kmeta stops in both dialects.
    if (in_.eof()) {
      log_.err("\nerror: no value for new symbol '" + m_.sym(sym).name + "' at end of input\n",
               Severity::error);
      throw Abort{};
    }
  }
}

bool Dialog::conf_sym(NodeId menu) {
  SymbolId sym = m_.node(menu).sym;
  while (true) {
    out(spaces(indent_ - 1) + std::string(prompt_text(menu)) + " ");
    if (!m_.sym(sym).name.empty()) out("(" + m_.sym(sym).name + ") ");
    std::string s = "[";
    Tristate oldval = cfg_.tri_now(sym);
    s += oldval == kN ? 'N' : oldval == kM ? 'M' : 'Y';
    if (oldval != kN && cfg_.tristate_within_range(sym, kN)) s += "/n";
    if (oldval != kM && cfg_.tristate_within_range(sym, kM)) s += "/m";
    if (oldval != kY && cfg_.tristate_within_range(sym, kY)) s += "/y";
    s += "/?] ";
    out(s);
    if (!askvalue(sym, cfg_.string_value(sym))) return false;
    strip(line_);
    Tristate newval;
    bool help = false;
    char c = line_.empty() ? '\0' : line_[0];
    std::string rest = line_.empty() ? std::string() : line_.substr(1);
    switch (c) {
      case 'n':
      case 'N':
        newval = kN;
        if (rest.empty() || rest == "o") break;
        continue;
      case 'm':
      case 'M':
        newval = kM;
        if (rest.empty()) break;
        continue;
      case 'y':
      case 'Y':
        newval = kY;
        if (rest.empty() || rest == "es") break;
        continue;
      case '\0': newval = oldval; break;
      case '?':
        help = true;
        newval = oldval;
        break;
      default: continue;
    }
    if (!help && cfg_.set_tristate_value(sym, newval)) return false;
    print_help(menu);
  }
}

// conf_choice's question, the same in both dialects: "choice[1-N?]: "
// answered from the mode (the default for a choice that is not new) or the
// input, help on '?'. Returns the chosen member's node, or kNone when conf
// asks again.
NodeId Dialog::choice_answer(NodeId menu, int cnt, int def, bool is_new) {
  out(spaces(indent_ - 1) + "choice");
  if (cnt == 1) {
    out("[1]: 1\n");
  } else {
    out("[1-" + std::to_string(cnt) + "?]: ");
    bool ask = false;
    switch (opts_.mode) {
      case ConfMode::oldconfig:
      case ConfMode::syncconfig:
        if (!is_new) {
          cnt = def;
          out(std::to_string(cnt) + "\n");
          break;
        }
        ask = true;
        break;
      case ConfMode::oldaskconfig: ask = true; break;
      default: break;
    }
    if (ask) {
      read_answer();
      strip(line_);
      if (!line_.empty() && line_[0] == '?') {
        print_help(menu);
        return kNone;
      }
      if (line_.empty())
        cnt = def;
      else if (c_isdigit(line_[0]))
        cnt = c_atoi(line_);
      else
        return kNone;
    }
  }
  NodeId child = m_.node(menu).first_child;
  for (; child != kNone; child = m_.node(child).next) {
    if (m_.node(child).sym == kNone || !cfg_.node_visible(child)) continue;
    if (!--cnt) break;
  }
  if (child == kNone) return kNone;
  if (!line_.empty() && line_.back() == '?') {
    print_help(child);
    return kNone;
  }
  return child;
}

void Dialog::conf_choice(NodeId menu) {
  SymbolId choice = m_.node(menu).sym;
  bool is_new = false;
  while (true) {
    int cnt = 0, def = 0;
    out(spaces(indent_ - 1) + std::string(prompt_text(menu)) + "\n");
    SymbolId def_sym = cfg_.calc_choice(choice);
    line_.clear();
    for (NodeId child = m_.node(menu).first_child; child != kNone; child = m_.node(child).next) {
      if (!cfg_.node_visible(child)) continue;
      SymbolId cs = m_.node(child).sym;
      if (cs == kNone) {
        out(padc(indent_, '*') + " " + std::string(prompt_text(child)) + "\n");
        continue;
      }
      ++cnt;
      std::string l;
      if (cs == def_sym) {
        def = cnt;
        l = padc(indent_, '>');
      } else {
        l = padc(indent_, ' ');
      }
      l += " " + std::to_string(cnt) + ". " + std::string(prompt_text(child)) + " (" + m_.sym(cs).name + ")";
      if (!cfg_.has_value(cs)) {
        is_new = true;
        l += " (NEW)";
      }
      out(l + "\n");
    }
    NodeId child = choice_answer(menu, cnt, def, is_new);
    if (child == kNone) continue;
    cfg_.choice_set_value(choice, m_.node(child).sym);
    return;
  }
}

bool Dialog::conf_choice_61(NodeId menu) {
  SymbolId sym = m_.node(menu).sym;
  bool is_new = !cfg_.has_value(sym);
  if (cfg_.changeable(sym)) {
    conf_sym(menu);
    cfg_.calc(sym);
    switch (cfg_.tri_now(sym)) {
      case kN: return true;
      case kM: return false;
      case kY: break;
    }
  } else {
    switch (cfg_.tri_now(sym)) {
      case kN: return true;
      case kM: out(spaces(indent_ - 1) + std::string(prompt_text(menu)) + "\n"); return false;
      case kY: break;
    }
  }
  while (true) {
    int cnt = 0, def = 0;
    out(spaces(indent_ - 1) + std::string(prompt_text(menu)) + "\n");
    SymbolId def_sym = cfg_.calc_choice(sym);
    line_.clear();
    for (NodeId child = m_.node(menu).first_child; child != kNone; child = m_.node(child).next) {
      if (!cfg_.node_visible(child)) continue;
      SymbolId cs = m_.node(child).sym;
      if (cs == kNone) {
        out(padc(indent_, '*') + " " + std::string(prompt_text(child)) + "\n");
        continue;
      }
      ++cnt;
      std::string l;
      if (cs == def_sym) {
        def = cnt;
        l = padc(indent_, '>');
      } else {
        l = padc(indent_, ' ');
      }
      l += " " + std::to_string(cnt) + ". " + std::string(prompt_text(child));
      if (!m_.sym(cs).name.empty()) l += " (" + m_.sym(cs).name + ")";
      if (!cfg_.has_value(cs)) l += " (NEW)";
      out(l + "\n");
    }
    NodeId child = choice_answer(menu, cnt, def, is_new);
    if (child == kNone) continue;
    cfg_.set_tristate_value(m_.node(child).sym, kY);
    for (NodeId gc = m_.node(child).first_child; gc != kNone; gc = m_.node(gc).next) {
      indent_ += 2;
      conf(gc);
      indent_ -= 2;
    }
    return true;
  }
}

void Dialog::conf(NodeId menu) {
  if (!cfg_.node_visible(menu)) return;
  const MenuNode& nd = m_.node(menu);
  SymbolId sym = nd.sym;
  if (menu == m_.root() || nd.prompt != kNone) {
    PropKind kind = prompt_kind(menu);
    if (kind == PropKind::menu && opts_.mode != ConfMode::oldaskconfig && root_entry_ != menu) {
      check_conf(menu);
      return;
    }
    if (kind == PropKind::menu || kind == PropKind::comment) {
      std::string p(prompt_text(menu));
      out(padc(indent_, '*') + "\n" + padc(indent_, '*') + " " + p + "\n" + padc(indent_, '*') + "\n");
    }
  }
  if (sym != kNone) {
    if (cfg_.is_choice(sym)) {
      if (!cfg_.rules().choice_value_symbol) {
        conf_choice(menu);
        return;
      }
      conf_choice_61(menu);
      if (cfg_.tri_now(sym) != kM) return;
    } else {
      switch (m_.sym(sym).type) {
        case SymbolType::integer:
        case SymbolType::hex:
        case SymbolType::string: conf_string(menu); break;
        default: conf_sym(menu); break;
      }
    }
  }
  if (sym != kNone) indent_ += 2;
  for (NodeId c = nd.first_child; c != kNone; c = m_.node(c).next) conf(c);
  if (sym != kNone) indent_ -= 2;
}

void Dialog::check_conf(NodeId menu) {
  if (!cfg_.node_visible(menu)) return;
  SymbolId sym = m_.node(menu).sym;
  if (sym != kNone && !cfg_.has_value(sym) &&
      (cfg_.changeable(sym) ||
       (cfg_.rules().choice_value_symbol && cfg_.is_choice(sym) && cfg_.tri_now(sym) == kY))) {
    switch (opts_.mode) {
      case ConfMode::listnewconfig:
        if (!m_.sym(sym).name.empty()) {
          std::string l;
          print_symbol(cfg_, sym, opts_.prefix, PrintN::as_value, true, l);
          out(std::move(l));
        }
        break;
      case ConfMode::helpnewconfig:
        out("-----\n");
        print_help(menu);
        out("-----\n");
        break;
      default:
        if (!conf_cnt_++) out("*\n* Restart config...\n*\n");
        root_entry_ = parent_menu(menu);
        conf(root_entry_);
        break;
    }
  }
  for (NodeId c = m_.node(menu).first_child; c != kNone; c = m_.node(c).next) check_conf(c);
}

}  // namespace kmeta::kconfig
