#include "uprev/config_diff.h"

#include <fmt/format.h>

#include "config/requests.h"
#include "uprev/renames.h"

namespace kmeta::uprev {

namespace kc = kmeta::kconfig;

const char* to_string(DiffEntry::Group g) {
  switch (g) {
    case DiffEntry::Group::removed: return "removed";
    case DiffEntry::Group::added: return "added";
    case DiffEntry::Group::changed: return "changed";
  }
  return "?";
}

namespace {

bool defined(const kc::Model& m, const std::string& name) {
  kc::SymbolId s = m.find(name);
  return s != kc::kNone && m.sym(s).is(kc::kSymDefined);
}

std::string names(const kc::Model& m, const std::vector<kc::Origin::Contributor>& cs) {
  std::string out;
  for (size_t i = 0; i < cs.size() && i < 4; ++i) {
    if (i) out += ", ";
    out += cs[i].sym != kc::kNone ? m.sym(cs[i].sym).name : m.expr_to_string(cs[i].term);
  }
  if (cs.size() > 4) out += fmt::format(" and {} more", cs.size() - 4);
  return out;
}

std::string renamed_to(const RenameIndex* renames, const std::string& name) {
  if (!renames) return "";
  auto c = renames->candidates(name, 1, kProbableRename);
  if (c.empty()) return "";
  return fmt::format(" (probably renamed to CONFIG_{})", c.front().symbol);
}

}  // namespace

std::string value_reason(const DiffSide& side, const std::string& name) {
  const kc::Model& m = side.model;
  kc::SymbolId s = m.find(name);
  if (s == kc::kNone || !m.sym(s).is(kc::kSymDefined)) return "not a symbol of this kernel";
  const kc::Symbol& sy = m.sym(s);
  kc::Origin o = side.cfg.why(s);
  auto deps = [&] {
    std::string d;
    side.cfg.print_expr(sy.dir_dep, d);
    return d;
  };
  switch (o.source) {
    case kc::Origin::Source::user:
      if (o.user_value_used) {
        if (const config::SymbolRequests* r = side.merge.find(name))
          return fmt::format("requested at {}", config::location_of(side.queue, r->winner().at).str());
        return "requested";
      }
      break;
    case kc::Origin::Source::selected: return fmt::format("selected by {}", names(m, o.selectors));
    case kc::Origin::Source::implied: return fmt::format("implied by {}", names(m, o.impliers));
    case kc::Origin::Source::default_value:
      if (o.default_prop != kc::kNone) return fmt::format("default ({})", m.prop(o.default_prop).where.str());
      return "default";
    case kc::Origin::Source::choice:
      if (o.chosen != kc::kNone && o.chosen != s)
        return fmt::format("choice: {} was chosen", m.sym(o.chosen).name);
      return "chosen in its choice";
    default: break;
  }
  if (o.dir_dep == kc::Tristate::no) return fmt::format("depends on {}", deps());
  if (o.has_user_value && !o.user_value_used && o.visibility == kc::Tristate::no)
    return "requested, but its prompt is not visible";
  if (!o.written) return "not written (no prompt shown, no default applies)";
  return "no default applies";
}

std::vector<DiffEntry> explain_delta(const ConfigDelta& d, const DiffSide& from, const DiffSide& to,
                                     const RenameIndex* renames) {
  std::vector<DiffEntry> out;
  out.reserve(d.removed.size() + d.changed.size() + d.added.size());
  for (const auto& [n, v] : d.removed) {
    DiffEntry e{DiffEntry::Group::removed, n, v, "", ""};
    if (!defined(to.model, n))
      e.why = "vanished from NEW" + renamed_to(renames, n);
    else
      e.why = fmt::format("not written on NEW: {}", value_reason(to, n));
    out.push_back(std::move(e));
  }
  for (const auto& [n, a, b] : d.changed)
    out.push_back({DiffEntry::Group::changed, n, a, b,
                   fmt::format("OLD: {}; NEW: {}", value_reason(from, n), value_reason(to, n))});
  for (const auto& [n, v] : d.added) {
    DiffEntry e{DiffEntry::Group::added, n, "", v, ""};
    if (!defined(from.model, n))
      e.why = fmt::format("new in NEW; {}", value_reason(to, n));
    else
      e.why = fmt::format("OLD did not write it ({}); NEW: {}", value_reason(from, n), value_reason(to, n));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace kmeta::uprev
