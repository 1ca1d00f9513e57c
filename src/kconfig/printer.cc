#include "kconfig/printer.h"

#include <vector>

namespace kmeta::kconfig {
namespace {

// lkc's enum expr_type numbering, which expr_compare_type relies on.
enum LkcType {
  E_NONE,
  E_OR,
  E_AND,
  E_NOT,
  E_EQUAL,
  E_UNEQUAL,
  E_LTH,
  E_LEQ,
  E_GTH,
  E_GEQ,
  E_SYMBOL,
  E_GARBAGE
};

LkcType lkc_type(ExprKind k) {
  switch (k) {
    case ExprKind::symbol: return E_SYMBOL;
    case ExprKind::and_: return E_AND;
    case ExprKind::or_: return E_OR;
    case ExprKind::not_: return E_NOT;
    case ExprKind::equal: return E_EQUAL;
    case ExprKind::unequal: return E_UNEQUAL;
    case ExprKind::lth: return E_LTH;
    case ExprKind::leq: return E_LEQ;
    case ExprKind::gth: return E_GTH;
    case ExprKind::geq: return E_GEQ;
    case ExprKind::sym_as_expr: return E_GARBAGE;
  }
  return E_GARBAGE;
}

// > 0: an operand of type t2 under t1 needs parentheses.
int compare_type(LkcType t1, LkcType t2) {
  if (t1 == t2) return 0;
  switch (t1) {
    case E_LEQ:
    case E_LTH:
    case E_GEQ:
    case E_GTH:
      if (t2 == E_EQUAL || t2 == E_UNEQUAL) return 1;
      [[fallthrough]];
    case E_EQUAL:
    case E_UNEQUAL:
      if (t2 == E_NOT) return 1;
      [[fallthrough]];
    case E_NOT:
      if (t2 == E_AND) return 1;
      [[fallthrough]];
    case E_AND:
      if (t2 == E_OR) return 1;
      [[fallthrough]];
    default: break;
  }
  return 0;
}

std::string quoted(const std::string& s);

// `source`: Kconfig syntax (constants quoted) instead of lkc's message form.
void print_rec(const Model& m, ExprId e, std::string& out, const SymbolSuffix& suffix, LkcType prev,
               bool source = false) {
  if (e == kNone) {
    out += 'y';
    return;
  }
  const Expr& x = m.expr(e);
  const LkcType t = lkc_type(x.kind);
  const bool paren = compare_type(prev, t) > 0;
  if (paren) out += '(';
  auto operand = [&](SymbolId s, bool left) {
    const Symbol& sym = m.sym(s);
    if (left && sym.is(kSymChoice) && sym.name.empty()) {
      out += "<choice>";
      return;
    }
    if (source && sym.is(kSymConst) && s > kSymNo)
      out += quoted(sym.name);
    else
      out += sym.name;
    if (suffix) suffix(s, out);
  };
  switch (x.kind) {
    case ExprKind::symbol: operand(x.sym, true); break;
    case ExprKind::not_:
      if (source && m.expr(x.left).kind == ExprKind::sym_as_expr) {
        out += m.sym(m.expr(x.left).sym).name + "!=y";  // what lkc 6.12 turned into this
        break;
      }
      out += '!';
      print_rec(m, x.left, out, suffix, E_NOT, source);
      break;
    case ExprKind::or_:
    case ExprKind::and_:
      print_rec(m, x.left, out, suffix, t, source);
      out += x.kind == ExprKind::or_ ? " || " : " && ";
      print_rec(m, x.right, out, suffix, t, source);
      break;
    case ExprKind::sym_as_expr:
      if (source) {
        out += "!(" + m.sym(x.sym).name + "!=y)";
        break;
      }
      // lkc reads the low half of the symbol's name pointer as the type
      out += "<unknown type " + std::to_string(1431655765 + static_cast<int>(x.sym.index() % 1000)) + ">";
      break;
    default: {
      static const char* const ops[] = {"=", "!=", "<", "<=", ">", ">="};
      operand(x.sym, true);
      out += ops[t - E_EQUAL];
      operand(x.sym2, false);
    }
  }
  if (paren) out += ')';
}

// A Kconfig string literal: `\` escapes the quote, itself and `$` (which
// would otherwise start a macro reference when parsed again).
std::string quoted(const std::string& s) {
  std::string r = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\' || c == '$') r += '\\';
    r += c;
  }
  return r + '"';
}

std::string src_sym(const Model& m, SymbolId s) {
  return m.sym(s).is(kSymConst) && s > kSymNo ? quoted(m.sym(s).name) : m.sym(s).name;
}

std::string src_expr(const Model& m, ExprId e) {
  std::string out;
  print_rec(m, e, out, {}, E_NONE, true);
  return out;
}

const char* type_keyword(SymbolType t) {
  switch (t) {
    case SymbolType::boolean: return "bool";
    case SymbolType::tristate: return "tristate";
    case SymbolType::integer: return "int";
    case SymbolType::hex: return "hex";
    case SymbolType::string: return "string";
    default: return nullptr;
  }
}

std::string sym_name(const Model& m, SymbolId s) {
  const Symbol& sym = m.sym(s);
  return sym.is(kSymChoice) && sym.name.empty() ? "<choice>" : sym.name;
}

const char* prop_name(PropKind k) {
  switch (k) {
    case PropKind::prompt: return "prompt";
    case PropKind::default_: return "default";
    case PropKind::select: return "select";
    case PropKind::imply: return "imply";
    case PropKind::range: return "range";
    case PropKind::menu: return "menu";
    case PropKind::comment: return "comment";
    case PropKind::symbol: return "symbol";
  }
  return "unknown";
}

// A help block that lexes back to exactly `help`: the text's final newlines
// come from blank lines before the next statement, which must then start in
// column 0 (callers put nothing else, not even a blank separator, after it).
void print_help(std::string_view help, std::string& out) {
  out += "\thelp\n";
  size_t end = help.size();
  while (end > 0 && help[end - 1] == '\n') --end;
  const size_t trailing = help.size() - end;
  size_t start = 0;
  while (start < end) {
    size_t nl = help.find('\n', start);
    if (nl == std::string_view::npos || nl > end) nl = end;
    std::string line(help.substr(start, nl - start));
    out += line.empty() ? "\n" : "\t  " + line + "\n";
    start = nl + 1;
  }
  out.append(trailing, '\n');
  if (end == 0 && trailing == 0) out += '\n';  // an empty text needs a blank line to end it
}

// One definition (menu node) of a symbol, as written; `dep`, when given,
// replaces the written `depends on`.
bool print_definition(const Model& m, NodeId n, std::string& out, const std::string* dep = nullptr) {
  const MenuNode& node = m.node(n);
  const Symbol& sym = m.sym(node.sym);
  out += "# " + node.where.file + ":" + std::to_string(node.where.line) + "\n";
  if (sym.is(kSymChoice)) {
    out += sym.name.empty() ? "choice\n" : "choice " + sym.name + "\n";
  } else {
    out += std::string(node.kind == NodeKind::menuconfig ? "menuconfig " : "config ") + sym.name + "\n";
  }
  if (const char* kw = type_keyword(node.type_decl)) out += std::string("\t") + kw + "\n";
  for (PropId p : sym.props) {
    const Property& pr = m.prop(p);
    if (pr.node != n) continue;
    std::string cond;
    if (pr.cond_parsed != kNone) cond = " if " + src_expr(m, pr.cond_parsed);
    switch (pr.kind) {
      case PropKind::prompt:
      case PropKind::menu: out += "\tprompt " + quoted(pr.text) + cond + "\n"; break;
      case PropKind::default_: out += "\tdefault " + src_expr(m, pr.expr) + cond + "\n"; break;
      case PropKind::select:
      case PropKind::imply:
        out += std::string("\t") + prop_name(pr.kind) + " " + src_expr(m, pr.expr) + cond + "\n";
        break;
      case PropKind::range:
        out += "\trange " + src_sym(m, pr.range_lo) + " " + src_sym(m, pr.range_hi) + cond + "\n";
        break;
      default: break;
    }
  }
  if (m.modules_sym == node.sym && node.sym != kNone && !sym.is(kSymConst) &&
      m.sym(node.sym).nodes.front() == n)
    out += "\tmodules\n";
  if (sym.is(kSymOptional)) out += "\toptional\n";
  if (dep) {
    if (!dep->empty()) out += "\tdepends on " + *dep + "\n";
  } else if (node.dep_parsed != kNone) {
    out += "\tdepends on " + src_expr(m, node.dep_parsed) + "\n";
  }
  if (node.has_help) print_help(m.help(n), out);
  return node.has_help;
}

// The finalized dependency of node `n` as Kconfig text ("" = none). A 6.1
// choice member depends on the choice symbol itself, which has no name to
// write: those terms are left out (the enclosing choice block adds them back).
std::string effective_dep(const Model& m, NodeId n) {
  ExprId dep = m.node(n).dep;
  if (dep == kNone) return "";
  NodeId parent = m.node(n).parent;
  SymbolId choice = parent != kNone ? m.node(parent).sym : kNone;
  if (choice != kNone && m.sym(choice).is(kSymChoice) && m.rules().choice_value_symbol) {
    std::vector<ExprId> keep;
    std::vector<ExprId> todo{dep};
    while (!todo.empty()) {
      ExprId e = todo.back();
      todo.pop_back();
      const Expr& x = m.expr(e);
      if (x.kind == ExprKind::and_) {
        todo.push_back(x.right);
        todo.push_back(x.left);
      } else if (!((x.kind == ExprKind::symbol && x.sym == choice) ||
                   (x.kind == ExprKind::equal && x.sym == choice))) {
        keep.push_back(e);
      }
    }
    std::string r;
    for (ExprId e : keep) {
      std::string t;
      t = src_expr(m, e);
      if (m.expr(e).kind == ExprKind::or_) {
        t.insert(0, 1, '(');
        t += ')';
      }
      r += (r.empty() ? "" : " && ") + t;
    }
    return r;
  }
  return src_expr(m, dep);
}

// Writes the finalized tree; `after_help` tracks whether the last thing
// written was a help block (then no blank separator may follow).
void print_tree(const Model& m, NodeId first, std::string& out, bool& after_help) {
  auto sep = [&]() {
    if (!after_help) out += '\n';
    after_help = false;
  };
  for (NodeId n = first; n != kNone; n = m.node(n).next) {
    const MenuNode& node = m.node(n);
    const std::string dep = effective_dep(m, n);
    if (node.sym != kNone && m.sym(node.sym).is(kSymChoice)) {
      const Symbol& c = m.sym(node.sym);
      sep();
      out += "# " + node.where.file + ":" + std::to_string(node.where.line) + "\n";
      out += c.name.empty() ? "choice\n" : "choice " + c.name + "\n";
      std::string body;
      after_help = print_definition(m, n, body, &dep);
      body.erase(0, body.find('\n', body.find('\n') + 1) + 1);  // drop "# loc" and "choice"
      out += body;
      print_tree(m, node.first_child, out, after_help);
      out += "endchoice\n";
      after_help = false;
    } else if (node.sym != kNone) {
      sep();
      after_help = print_definition(m, n, out, &dep);
      print_tree(m, node.first_child, out, after_help);  // automatic submenu: written after it
    } else if (node.prompt != kNone && n != m.root()) {
      const Property& p = m.prop(node.prompt);
      sep();
      out += "# " + node.where.file + ":" + std::to_string(node.where.line) + "\n";
      out += std::string(p.kind == PropKind::comment ? "comment " : "menu ") + quoted(p.text) + "\n";
      if (node.visibility != kNone) out += "\tvisible if " + src_expr(m, node.visibility) + "\n";
      if (!dep.empty()) out += "\tdepends on " + dep + "\n";
      if (p.kind == PropKind::menu) {
        print_tree(m, node.first_child, out, after_help);
        out += "endmenu\n";
        after_help = false;
      }
    } else {
      print_tree(m, node.first_child, out, after_help);  // `if`: flattened, its condition is in the children
    }
  }
}

}  // namespace

void print_expr(const Model& m, ExprId e, std::string& out, const SymbolSuffix& suffix) {
  print_rec(m, e, out, suffix, E_NONE);
}

std::string expr_str(const Model& m, ExprId e) {
  std::string out;
  print_expr(m, e, out);
  return out;
}

void print_expr_values(const Model& m, ExprId e, std::string& out,
                       const std::function<std::string(SymbolId)>& value) {
  print_expr(m, e, out, [&](SymbolId s, std::string& o) {
    if (m.sym(s).type != SymbolType::unknown) o += " [=" + value(s) + "]";
  });
}

std::string print_symbol(const Model& m, SymbolId s) {
  std::string out;
  const Symbol& sym = m.sym(s);
  bool after_help = false;
  for (size_t i = 0; i < sym.nodes.size(); ++i) {
    if (i && !after_help) out += '\n';
    after_help = print_definition(m, sym.nodes[i], out);
  }
  if (after_help) out.pop_back();  // at the end of a file every blank line would count
  return out;
}

std::string print_model(const Model& m) {
  std::string out;
  const PropId root_prompt = m.node(m.root()).prompt;
  out += "mainmenu " + quoted(root_prompt != kNone ? m.prop(root_prompt).text : m.mainmenu) + "\n";
  bool after_help = false;
  print_tree(m, m.node(m.root()).first_child, out, after_help);
  if (after_help) out.pop_back();  // at the end of a file every blank line would count
  return out;
}

std::string dump_model(const Model& m) {
  std::string out;
  auto esc = [](std::string_view s) {
    std::string r;
    for (char c : s) {
      if (c == '\n')
        r += "\\n";
      else if (c == '\t')
        r += "\\t";
      else if (c == '\\')
        r += "\\\\";
      else
        r += c;
    }
    return r;
  };
  auto loc = [](const Location& w) { return " @" + w.file + ":" + std::to_string(w.line); };
  auto node_loc = [&](NodeId n) { return n == m.root() ? std::string(" @root") : loc(m.node(n).where); };
  out += "mainmenu \"" + esc(m.mainmenu) + "\"\n";
  out += "modules " + (m.modules_sym == kNone ? std::string("-") : sym_name(m, m.modules_sym)) + "\n";
  std::function<void(NodeId, int)> rec = [&](NodeId n, int depth) {
    const MenuNode& node = m.node(n);
    std::string ind(static_cast<size_t>(depth) * 2, ' ');
    out += ind + "node";
    if (node.sym != kNone) out += " sym " + sym_name(m, node.sym);
    if (node.prompt != kNone) {
      const Property& p = m.prop(node.prompt);
      out += std::string(" ") + prop_name(p.kind) + " \"" + esc(p.text) + "\"";
    }
    out += node_loc(n) + "\n";
    if (node.dep != kNone) out += ind + "  dep: " + expr_str(m, node.dep) + "\n";
    if (node.visibility != kNone) out += ind + "  visibility: " + expr_str(m, node.visibility) + "\n";
    if (node.has_help) out += ind + "  help: \"" + esc(m.help(n)) + "\"\n";
    auto prop_line = [&](PropId id) {
      const Property& p = m.prop(id);
      out += ind + "  prop " + prop_name(p.kind);
      if (p.kind == PropKind::prompt || p.kind == PropKind::menu || p.kind == PropKind::comment)
        out += " \"" + esc(p.text) + "\"";
      if (p.kind == PropKind::range)
        out += " [" + m.sym(p.range_lo).name + " " + m.sym(p.range_hi).name + "]";
      else if (p.expr != kNone && p.kind != PropKind::symbol)
        out += " " + expr_str(m, p.expr);
      out += loc(p.where);
      out += " cond: " + expr_str(m, p.cond) + "\n";
    };
    if (n == m.root()) {
      // the root prompt's location is not meaningful in lkc
    } else if (node.sym != kNone) {
      for (PropId p : m.sym(node.sym).props)
        if (m.prop(p).node == n) prop_line(p);
    } else if (node.prompt != kNone) {
      prop_line(node.prompt);
    }
    for (NodeId c = node.first_child; c != kNone; c = m.node(c).next) rec(c, depth + 1);
  };
  rec(m.root(), 0);
  for (SymbolId s : hash_order(m)) {
    const Symbol& sym = m.sym(s);
    out += "sym " + sym_name(m, s) + " type=" + sym_type_name(sym.type);
    if (sym.is(kSymConst)) out += " const";
    if (sym.is(kSymChoice)) out += " choice";
    if (sym.is(kSymChoiceValue)) out += " choiceval";
    out += "\n";
    if (sym.dir_dep != kNone) out += "  dir_dep: " + expr_str(m, sym.dir_dep) + "\n";
    if (sym.rev_dep != kNone) out += "  rev_dep: " + expr_str(m, sym.rev_dep) + "\n";
    if (sym.implied != kNone) out += "  implied: " + expr_str(m, sym.implied) + "\n";
  }
  return out;
}

}  // namespace kmeta::kconfig
