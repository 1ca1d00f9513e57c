#include "kconfig/confdata.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>

#include "base/file_system.h"
#include "base/file_util.h"
#include "base/strings.h"
#include "kconfig/cnum.h"
#include "kconfig/lkc_plumbing.h"
#include "kconfig/tristate_names.h"

namespace kmeta::kconfig {
namespace {

void message(Configuration& cfg, const ConfContext& ctx, std::string_view text) {
  if (ctx.quiet) return;
  std::string m = "#\n# ";
  m += text;
  m += "\n#\n";
  cfg.messages().out(std::move(m));
}

bool is_bool_like(SymbolType t) { return t == SymbolType::boolean || t == SymbolType::tristate; }

// make_parent_dir: create every directory component of `path` (not the last).
bool make_parent_dir(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return true;
  std::string tmp = path.substr(0, slash + 1);
  size_t p = 0;
  while (p < tmp.size() && tmp[p] == '/') ++p;
  while ((p = tmp.find('/', p)) != std::string::npos) {
    std::string dir = tmp.substr(0, p);
    if (!is_directory(dir) && ::mkdir(dir.c_str(), 0755) != 0) return false;
    while (p < tmp.size() && tmp[p] == '/') ++p;
  }
  return true;
}

bool write_all(const std::string& path, std::string_view content) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  const char* d = content.data();
  size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, d, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return false;
    }
    d += n;
    left -= static_cast<size_t>(n);
  }
  return ::close(fd) == 0;
}

// One line handed to the parser: the text as C string functions would see it.
struct Line {
  std::string_view text;
};

}  // namespace

std::string ConfContext::resolve(std::string_view path) const {
  if (cwd.empty() || (!path.empty() && path[0] == '/')) return std::string(path);
  std::string r = cwd;
  if (r.back() != '/') r += '/';
  r += path;
  return r;
}

std::optional<std::string> ConfContext::open_read(const std::string& name) const {
  DiskFileSystem disk;
  FileSystem& fs = files ? *files : disk;
  auto try_open = [&](const std::string& p) -> std::optional<std::string> {
    std::string full = resolve(p);
    if (fs.is_dir(full)) return std::string();
    auto text = fs.read_result(full, {.keep = false}).text;
    if (!text) return std::nullopt;
    return *text;
  };
  auto r = try_open(name);
  if (!r && !name.empty() && name[0] != '/') {
    if (const std::string* srctree = getenv("srctree")) r = try_open(*srctree + "/" + name);
  }
  return r;
}

// --- value formatting ----------------------------------------------------------

std::string escape_string_value(std::string_view in) {
  std::string out;
  out.reserve(in.size() + 2);
  out += '"';
  for (char c : in) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

void print_symbol(const Configuration& cfg, SymbolId s, std::string_view prefix, PrintN n, bool escape,
                  std::string& out) {
  const Symbol& sym = cfg.model().sym(s);
  if (sym.type == SymbolType::unknown) return;
  std::string_view val = cfg.string_value(s);
  if (is_bool_like(sym.type) && n != PrintN::as_value && !val.empty() && val[0] == 'n') {
    if (n == PrintN::as_unset) {
      out += "# ";
      out += prefix;
      out += sym.name;
      out += " is not set\n";
    }
    return;
  }
  out += prefix;
  out += sym.name;
  out += '=';
  if (sym.type == SymbolType::string && escape)
    out += escape_string_value(val);
  else
    out += val;
  out += '\n';
}

// --- reading -------------------------------------------------------------------

namespace {

// conf_set_sym_val. Returns true when the value was rejected ("return 1").
bool set_sym_val(Configuration& cfg, SymbolId s, DefSlot slot, std::string_view p,
                 const std::function<void(std::string)>& warn) {
  const Symbol& sym = cfg.model().sym(s);
  const bool user = slot == DefSlot::user;
  switch (sym.type) {
    case SymbolType::tristate:
    case SymbolType::boolean:
      if (sym.type == SymbolType::tristate && !p.empty() && p[0] == 'm') {
        plumbing(cfg).store_tri(s, slot, kM);
        return false;
      }
      if (!p.empty() && p[0] == 'y') {
        plumbing(cfg).store_tri(s, slot, kY);
        return false;
      }
      if (!p.empty() && p[0] == 'n') {
        plumbing(cfg).store_tri(s, slot, kN);
        return false;
      }
      if (user) warn("symbol value '" + std::string(p) + "' invalid for " + sym.name);
      return true;
    case SymbolType::string:
    case SymbolType::integer:
    case SymbolType::hex: {
      std::string value;
      if (sym.type == SymbolType::string && user) {
        if (p.empty() || p[0] != '"') return false;
        p.remove_prefix(1);
        bool closed = false;
        for (size_t i = 0; i < p.size(); ++i) {
          if (p[i] == '"') {
            closed = true;
            break;
          }
          if (p[i] == '\\') {
            // The backslash is dropped and the next character kept as is; a
            // trailing backslash leaves nothing to close the string.
            if (++i >= p.size()) break;
          }
          value += p[i];
        }
        if (!closed) {
          warn("invalid string found");
          return true;
        }
      } else {
        value = std::string(p);
      }
      if (string_valid_for(sym.type, value)) {
        plumbing(cfg).store_str(s, slot, value);
        return false;
      }
      if (user) warn("symbol value '" + value + "' invalid for " + sym.name);
      return true;
    }
    case SymbolType::unknown: return false;
  }
  return false;
}

}  // namespace

void load_config_text(Configuration& cfg, const ConfContext& ctx, std::string_view file_name,
                      std::string_view text, DefSlot slot, ReadState& rs) {
  const bool strip_line_end = cfg.rules().conf_read_strips_line_end;
  const bool valued_choice = cfg.rules().choice_value_symbol;
  const bool warn_unknown = ctx.getenv("KCONFIG_WARN_UNKNOWN_SYMBOLS") != nullptr;
  const std::string_view prefix = ctx.prefix();
  const uint32_t file_index =
      slot == DefSlot::user ? plumbing(cfg).add_source_file(std::string(file_name)) : UINT32_MAX;
  int lineno = 0;
  rs.warnings = 0;
  auto warn = [&](const std::string& msg) {
    std::string m(file_name);
    m += ':';
    m += std::to_string(lineno);
    m += ":warning: ";
    m += msg;
    m += '\n';
    cfg.messages().err(std::move(m), Severity::warning, Location{std::string(file_name), lineno, 0});
    ++rs.warnings;
  };
  const std::function<void(std::string)> warn_fn = warn;

  plumbing(cfg).reset_slot(slot);

  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view raw = nl == std::string_view::npos ? text.substr(pos) : text.substr(pos, nl + 1 - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++lineno;

    std::string_view line = raw;
    if (strip_line_end) {
      // getline + strip "\n" then one "\r"; C string functions stop at a NUL.
      if (!line.empty() && line.back() == '\n') {
        line.remove_suffix(1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      }
    }
    if (size_t z = line.find('\0'); z != std::string_view::npos) line = line.substr(0, z);

    std::string_view name, val;
    if (strip_line_end) {
      if (line.empty()) continue;
      if (line[0] == '#') {
        if (line.size() < 2 || line[1] != ' ') continue;
        std::string_view p = line.substr(2);
        if (p.substr(0, prefix.size()) != prefix) continue;
        p.remove_prefix(prefix.size());
        size_t sp = p.find(' ');
        if (sp == std::string_view::npos) continue;
        name = p.substr(0, sp);
        if (p.substr(sp + 1) != "is not set") continue;
        val = "n";
      } else {
        if (line.substr(0, prefix.size()) != prefix) {
          warn_fn("unexpected data: " + std::string(line));
          continue;
        }
        std::string_view p = line.substr(prefix.size());
        size_t eq = p.find('=');
        if (eq == std::string_view::npos) {
          warn_fn("unexpected data: " + std::string(line));
          continue;
        }
        name = p.substr(0, eq);
        val = p.substr(eq + 1);
      }
    } else {
      if (!line.empty() && line[0] == '#') {
        if (line.size() < 2 || line[1] != ' ') continue;
        std::string_view p = line.substr(2);
        if (p.substr(0, prefix.size()) != prefix) continue;
        p.remove_prefix(prefix.size());
        size_t sp = p.find(' ');
        if (sp == std::string_view::npos) continue;
        name = p.substr(0, sp);
        if (p.substr(sp + 1, 10) != "is not set") continue;
        val = "n";
      } else if (line.substr(0, prefix.size()) == prefix) {
        std::string_view p = line.substr(prefix.size());
        size_t eq = p.find('=');
        if (eq == std::string_view::npos) continue;
        name = p.substr(0, eq);
        val = p.substr(eq + 1);
        if (size_t n2 = val.find('\n'); n2 != std::string_view::npos) {
          val = val.substr(0, n2);
          if (!val.empty() && val.back() == '\r') val.remove_suffix(1);
        }
      } else {
        if (!line.empty() && line[0] != '\r' && line[0] != '\n')
          warn_fn("unexpected data: " + std::string(line.substr(0, line.find_first_of("\r\n"))));
        continue;
      }
    }

    SymbolId s = cfg.model().find(name);  // lkc sym_find: y/m/n are the constants
    if (s == kNone) {
      if (slot == DefSlot::auto_) {
        rs.stale_auto.emplace_back(name);
      } else {
        if (warn_unknown) warn_fn("unknown symbol: " + std::string(name));
        plumbing(cfg).set_changed(true);
      }
      continue;
    }
    if (cfg.has_value(s, slot)) warn_fn("override: reassigning to symbol " + cfg.model().sym(s).name);
    if (set_sym_val(cfg, s, slot, val, warn_fn)) continue;
    if (slot == DefSlot::user) plumbing(cfg).set_user_location(s, file_index, lineno);

    if (!valued_choice) {
      if (slot != DefSlot::user) continue;
      if (cfg.is_choice_value(s)) cfg.prioritize_member(s, true);
      continue;
    }
    // [6.1] choice bookkeeping.
    if (!cfg.is_choice_value(s)) continue;
    SymbolId cs = cfg.choice_of(s);
    Tristate v = cfg.def_tri(s, slot);
    if (v == kM) {
      if (cfg.def_tri(cs, slot) == kY) {
        warn_fn(cfg.model().sym(s).name + " creates inconsistent choice state");
        plumbing(cfg).set_has_value(cs, slot, false);
      }
    } else if (v == kY) {
      if (cfg.def_tri(cs, slot) != kN)
        warn_fn("override: " + cfg.model().sym(s).name + " changes choice state");
      if (slot == DefSlot::user) plumbing(cfg).set_user_choice(cs, s);
    }
    plumbing(cfg).store_tri(cs, slot, tri_or(cfg.def_tri(cs, slot), v), false);
  }
}

bool read_config_simple(Configuration& cfg, const ConfContext& ctx, const std::string* name, DefSlot slot,
                        ReadState& rs) {
  std::optional<std::string> text;
  std::string fname;
  if (name) {
    fname = *name;
    text = ctx.open_read(fname);
  } else {
    fname = ctx.config_name();
    text = ctx.open_read(fname);
    if (!text) {
      plumbing(cfg).set_changed(true);
      const std::string* list = ctx.getenv("KCONFIG_DEFCONFIG_LIST");
      if (!list) return false;
      std::string_view env = *list;
      size_t i = 0;
      while (true) {
        while (i < env.size() && c_isspace(env[i])) ++i;
        if (i >= env.size()) break;
        size_t j = i;
        while (j < env.size() && !c_isspace(env[j])) ++j;
        fname = std::string(env.substr(i, j - i));
        text = ctx.open_read(fname);
        if (text) {
          message(cfg, ctx, "using defaults found in " + fname);
          break;
        }
        if (j >= env.size()) break;
        i = j + 1;
      }
    }
  }
  if (!text) return false;
  load_config_text(cfg, ctx, fname, *text, slot, rs);
  return true;
}

bool read_config(Configuration& cfg, const ConfContext& ctx, const std::string* name, ReadState& rs) {
  const Model& m = cfg.model();
  plumbing(cfg).set_changed(false);
  if (!read_config_simple(cfg, ctx, name, DefSlot::user, rs)) {
    cfg.calc(m.modules_sym);
    return false;
  }
  cfg.calc(m.modules_sym);
  int unsaved = 0;
  for (SymbolId s : cfg.table_order()) {
    cfg.calc(s);
    if (cfg.is_choice(s)) continue;
    const bool has = cfg.has_value(s);
    const bool write = cfg.write_flag(s);
    if (has && write) {
      if (is_bool_like(m.sym(s).type)) {
        if (cfg.def_tri(s) == cfg.tri_now(s)) continue;
      } else if (cfg.string_value(s) == cfg.def_str(s)) {
        continue;
      }
    } else if (!has && !write) {
      continue;
    }
    if (cfg.rules().conf_read_drops_invisible_user_values)
      ++unsaved;
    else
      plumbing(cfg).set_changed(true);
  }
  if (cfg.rules().conf_read_drops_invisible_user_values) {
    for (SymbolId s : cfg.table_order()) {
      if (!cfg.has_value(s) || cfg.is_choice_value(s)) continue;
      if (cfg.visibility(s) == kN && unsaved == 0) plumbing(cfg).set_has_value(s, DefSlot::user, false);
      switch (m.sym(s).type) {
        case SymbolType::string:
        case SymbolType::integer:
        case SymbolType::hex:
          if (cfg.string_within_range(s, cfg.def_str(s))) break;
          plumbing(cfg).invalidate(s);
          plumbing(cfg).set_has_value(s, DefSlot::user, false);
          ++unsaved;
          break;
        default: break;
      }
    }
    if (rs.warnings || unsaved) plumbing(cfg).set_changed(true);
  } else if (rs.warnings) {
    plumbing(cfg).set_changed(true);
  }
  return true;
}

// --- .config -------------------------------------------------------------------

namespace {

std::string heading(const Model& m, std::string_view deco, std::string_view pre, std::string_view post) {
  std::string h;
  h += pre;
  h += '\n';
  h += deco;
  h += " Automatically generated file; DO NOT EDIT.\n";
  h += deco;
  h += ' ';
  h += m.mainmenu.empty() ? std::string("Main menu") : m.mainmenu;
  h += '\n';
  h += post;
  h += '\n';
  return h;
}

std::string_view node_prompt(const Model& m, NodeId n) {
  const MenuNode& nd = m.node(n);
  if (nd.prompt != kNone) return m.prop(nd.prompt).text;
  if (nd.sym != kNone) return m.sym(nd.sym).name;
  return {};
}

}  // namespace

std::string render_config(Configuration& cfg, const ConfContext& ctx) {
  const Model& m = cfg.model();
  const std::string_view prefix = ctx.prefix();
  std::string out = heading(m, "#", "#", "#");
  if (!cfg.changed()) cfg.clear_all_valid();

  bool need_newline = false;
  NodeId menu = m.node(m.root()).first_child;
  while (menu != kNone) {
    const MenuNode& nd = m.node(menu);
    SymbolId sym = nd.sym;
    if (sym == kNone) {
      if (cfg.node_visible(menu)) {
        out += "\n#\n# ";
        out += node_prompt(m, menu);
        out += "\n#\n";
        need_newline = false;
      }
    } else if (!cfg.is_choice(sym) && !plumbing(cfg).written_flag(sym)) {
      cfg.calc(sym);
      if (cfg.write_flag(sym)) {
        if (need_newline) {
          out += '\n';
          need_newline = false;
        }
        plumbing(cfg).set_written_flag(sym, true);
        print_symbol(cfg, sym, prefix, PrintN::as_unset, true, out);
      }
    }
    if (nd.first_child != kNone) {
      menu = nd.first_child;
      continue;
    }
    // end_check: leave finished nodes, printing "# end of" for visible menus.
    while (menu != kNone) {
      const MenuNode& cur = m.node(menu);
      if (cur.sym == kNone && cfg.node_visible(menu) && menu != m.root() && cur.prompt != kNone &&
          m.prop(cur.prompt).kind == PropKind::menu) {
        out += "# end of ";
        out += node_prompt(m, menu);
        out += '\n';
        need_newline = true;
      }
      if (cur.next != kNone) {
        menu = cur.next;
        break;
      }
      menu = cur.parent;
    }
  }
  for (SymbolId s : m.symbol_ids()) plumbing(cfg).set_written_flag(s, false);
  return out;
}

int write_config(Configuration& cfg, const ConfContext& ctx, const std::string* name_in) {
  const std::string name = name_in ? *name_in : ctx.config_name();
  if (name.empty()) {
    cfg.messages().err("config name is empty\n", Severity::error);
    return -1;
  }
  const std::string path = ctx.resolve(name);
  if (is_directory(path)) {
    cfg.messages().err(name + ": Is a directory\n", Severity::error);
    return -1;
  }
  if (!make_parent_dir(path)) return -1;

  const std::string* ow = ctx.getenv("KCONFIG_OVERWRITECONFIG");
  const bool overwrite = ow && !ow->empty();
  if (overwrite) {
    // KCONFIG_OVERWRITECONFIG: the user asks for the file (a symlink, say)
    // to be written in place, as lkc does.
    if (!write_all(path, render_config(cfg, ctx))) return 1;
  } else {
    // lkc opens the output before computing anything. The temporary is an
    // AtomicFile (exclusive, unpredictable name beside the target); the old
    // file is kept as NAME.old by a hard link, so NAME exists throughout.
    AtomicFile out(path);
    std::string err;
    if (!out.ok()) {
      cfg.messages().err(out.error() + "\n", Severity::error);  // lkc says nothing; name the file
      return 1;
    }
    std::string content = render_config(cfg, ctx);
    std::optional<std::string> existing = is_directory(path) ? std::nullopt : read_file(path);
    if (existing && *existing == content) {
      message(cfg, ctx, "No change to " + name);
      plumbing(cfg).set_changed(false);
      return 0;  // the temporary goes with `out`
    }
    out.write(content);
    if (!out.commit(&err, path + ".old")) {
      cfg.messages().err(err + "\n", Severity::error);
      return 1;
    }
  }
  message(cfg, ctx, "configuration written to " + name);
  plumbing(cfg).set_changed(false);
  return 0;
}

// --- savedefconfig ----------------------------------------------------------------

std::string render_defconfig(Configuration& cfg, const ConfContext& ctx) {
  const Model& m = cfg.model();
  const std::string_view prefix = ctx.prefix();
  const bool menu_walk_marks = cfg.rules().menu_visibility_sets_user_flag;
  const bool valued_choice = cfg.rules().choice_value_symbol;
  std::string out;
  cfg.clear_all_valid();
  std::vector<NodeId> order;
  order.reserve(m.node_count());
  m.walk([&](NodeId n) {
    if (n != m.root()) order.push_back(n);
  });
  for (NodeId n : order) {
    SymbolId sym = m.node(n).sym;
    if (sym == kNone) {
      if (menu_walk_marks) cfg.node_visible(n);  // 6.1 walks with menu_is_visible on these nodes
      continue;
    }
    if (cfg.is_choice(sym)) continue;
    cfg.calc(sym);
    if (!cfg.write_flag(sym)) continue;
    plumbing(cfg).clear_write_flag(sym);
    if (!cfg.changeable(sym)) continue;
    std::string value(cfg.string_value(sym));
    if (value == cfg.string_default(sym)) continue;
    if (cfg.is_choice_value(sym)) {
      SymbolId cs = cfg.choice_of(sym);
      SymbolId ds = cfg.choice_default(cs);
      if (valued_choice) {
        if (!m.sym(cs).is(kSymOptional) && sym == ds && m.sym(sym).type == SymbolType::boolean &&
            cfg.tri_now(sym) == kY)
          continue;
      } else if (sym == ds && cfg.tri_now(sym) == kY) {
        continue;
      }
    }
    print_symbol(cfg, sym, prefix, PrintN::as_unset, true, out);
  }
  return out;
}

int write_defconfig(Configuration& cfg, const ConfContext& ctx, const std::string& filename) {
  AtomicFile out(ctx.resolve(filename));
  if (!out.ok()) return 1;
  out.write(render_defconfig(cfg, ctx));
  return out.commit() ? 0 : 1;
}

// --- auto.conf & friends -----------------------------------------------------------

namespace {

void print_symbol_for_c(const Configuration& cfg, SymbolId s, std::string_view prefix, std::string& out) {
  const Symbol& sym = cfg.model().sym(s);
  if (sym.type == SymbolType::unknown) return;
  std::string_view val = cfg.string_value(s);
  std::string_view suffix, vprefix;
  std::string escaped;
  switch (sym.type) {
    case SymbolType::boolean:
    case SymbolType::tristate:
      if (!val.empty() && val[0] == 'n') return;
      if (!val.empty() && val[0] == 'm') suffix = "_MODULE";
      val = "1";
      break;
    case SymbolType::hex:
      if (val.size() < 2 || val[0] != '0' || (val[1] != 'x' && val[1] != 'X')) vprefix = "0x";
      break;
    case SymbolType::string:
      escaped = escape_string_value(val);
      val = escaped;
      break;
    default: break;
  }
  out += "#define ";
  out += prefix;
  out += sym.name;
  out += suffix;
  out += ' ';
  out += vprefix;
  out += val;
  out += '\n';
}

void print_symbol_for_rustccfg(const Configuration& cfg, SymbolId s, std::string_view prefix,
                               std::string& out) {
  const Symbol& sym = cfg.model().sym(s);
  if (sym.type == SymbolType::unknown) return;
  std::string val(cfg.string_value(s));
  switch (sym.type) {
    case SymbolType::boolean:
    case SymbolType::tristate:
      if (!val.empty() && val[0] == 'n') return;
      out += "--cfg=";
      out += prefix;
      out += sym.name;
      out += '\n';
      break;
    case SymbolType::hex:
      if (val.size() < 2 || val[0] != '0' || (val[1] != 'x' && val[1] != 'X')) val = "0x" + val;
      break;
    default: break;
  }
  out += "--cfg=";
  out += prefix;
  out += sym.name;
  out += '=';
  out += escape_string_value(val);
  out += '\n';
}

bool write_side_file(const std::string& path, std::string_view content) {
  if (!make_parent_dir(path)) return false;
  return write_file_atomic(path, content);
}

std::string autoconf_cmd(const Model& m, const std::string& autoconf_name) {
  std::vector<std::string> files;
  for (const std::string& f : m.files) {
    bool seen = false;
    for (const std::string& g : files) seen = seen || g == f;
    if (!seen) files.push_back(f);
  }
  std::string out;
  if (m.rules().auto_conf_cmd == AutoConfCmd::deps_newest_first) {
    out += "deps_config := \\\n";
    for (auto it = files.rbegin(); it != files.rend(); ++it) out += "\t" + *it + " \\\n";
    out += "\n" + autoconf_name + ": $(deps_config)\n\n";
    for (const auto& [name, value] : m.env_used)
      out += str_cat({"ifneq \"$(", name, ")\" \"", value, "\"\n", autoconf_name, ": FORCE\nendif\n"});
    out += "\n$(deps_config): ;\n";
  } else {
    out += "autoconfig := " + autoconf_name + "\n";
    out += "\ndeps_config := \\\n";
    for (const std::string& f : files) out += "\t" + f + " \\\n";
    out += "\n$(autoconfig): $(deps_config)\n$(deps_config): ;\n";
    for (const auto& [name, value] : m.env_used)
      out += str_cat({"\nifneq \"$(", name, ")\" \"", value, "\"\n$(autoconfig): FORCE\nendif\n"});
  }
  return out;
}

}  // namespace

int write_autoconf(Configuration& cfg, const ConfContext& ctx, ReadState& rs, bool overwrite) {
  const Model& m = cfg.model();
  const std::string_view prefix = ctx.prefix();
  auto name_of = [&](const char* var, const char* def) {
    const std::string* v = ctx.getenv(var);
    return v ? *v : std::string(def);
  };
  const std::string autoconf_name = name_of("KCONFIG_AUTOCONFIG", "include/config/auto.conf");
  if (!overwrite && file_exists(ctx.resolve(autoconf_name))) return 0;

  // auto.conf.cmd
  {
    std::string path = ctx.resolve(autoconf_name + ".cmd");
    if (!make_parent_dir(path)) return -1;
    AtomicFile out(path);
    out.write(autoconf_cmd(m, autoconf_name));
    std::string err;
    if (!out.commit(&err)) {
      cfg.messages().err("fopen: " + err + "\n", Severity::error);
      return -1;
    }
  }

  const bool calc_per_symbol = cfg.rules().auto_conf_sync_calc_per_symbol;
  if (!calc_per_symbol) cfg.calc_all();

  // conf_touch_deps
  {
    size_t slash = autoconf_name.rfind('/');
    const std::string dep_prefix =
        slash == std::string::npos ? std::string() : autoconf_name.substr(0, slash + 1);
    rs.stale_auto.clear();
    read_config_simple(cfg, ctx, &autoconf_name, DefSlot::auto_, rs);
    auto touch = [&](std::string_view name) {
      // A new empty file renamed into place: never truncates through a
      // symlink planted at the name.
      return write_file_atomic(ctx.resolve(dep_prefix + std::string(name)), "");
    };
    // (conf_read_simple touches these itself and ignores failures.)
    for (const std::string& n : rs.stale_auto) touch(n);
    if (calc_per_symbol) cfg.calc(m.modules_sym);
    for (SymbolId s : cfg.table_order()) {
      if (calc_per_symbol) {
        cfg.calc(s);
        if (cfg.is_choice(s) || m.sym(s).name.empty()) continue;
      } else if (cfg.is_choice(s)) {
        continue;
      }
      const SymbolType type = m.sym(s).type;
      if (cfg.write_flag(s)) {
        if (cfg.has_value(s, DefSlot::auto_)) {
          if (is_bool_like(type)) {
            if (cfg.tri_now(s) == cfg.def_tri(s, DefSlot::auto_)) continue;
          } else if (type != SymbolType::unknown) {
            if (cfg.string_value(s) == cfg.def_str(s, DefSlot::auto_)) continue;
          }
        } else if (is_bool_like(type) && cfg.tri_now(s) == kN) {
          continue;
        }
      } else if (!cfg.has_value(s, DefSlot::auto_)) {
        continue;
      }
      if (!touch(m.sym(s).name)) return 1;
    }
  }

  auto write_one = [&](const std::string& name, std::string content, auto print) {
    for (SymbolId s : cfg.table_order())
      if (cfg.write_flag(s) && !m.sym(s).name.empty()) print(s, content);
    std::string path = ctx.resolve(name);
    if (!write_side_file(path, content)) return -1;
    return 0;
  };
  if (write_one(name_of("KCONFIG_AUTOHEADER", "include/generated/autoconf.h"), heading(m, " *", "/*", " */"),
                [&](SymbolId s, std::string& o) { print_symbol_for_c(cfg, s, prefix, o); }))
    return -1;
  if (write_one(name_of("KCONFIG_RUSTCCFG", "include/generated/rustc_cfg"), std::string(),
                [&](SymbolId s, std::string& o) { print_symbol_for_rustccfg(cfg, s, prefix, o); }))
    return -1;
  if (write_one(autoconf_name, heading(m, "#", "#", "#"),
                [&](SymbolId s, std::string& o) { print_symbol(cfg, s, prefix, PrintN::none, false, o); }))
    return -1;
  return 0;
}

}  // namespace kmeta::kconfig
