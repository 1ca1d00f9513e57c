#include "kconfig/parser.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "kconfig/depcheck.h"
#include "kconfig/finalize.h"
#include "kconfig/grammar.h"
#include "kconfig/internal.h"
#include "kconfig/lexer.h"
#include "kconfig/preprocess.h"

namespace kmeta::kconfig {
namespace {

// A Bison semantic value: token text, or an id (symbol, expression, node), or
// a small number (type, flavour, `end` kind).
// Trivially copyable, so the parser stacks move cheaply: token text lives in
// the parser's string store (`str` indexes it) or, for plain words, in the
// file text (`word`).
constexpr uint32_t kNoText = UINT32_MAX;
struct Value {
  std::string_view word;   // a plain word: a view into the file text
  uint32_t str = kNoText;  // token text (strings, help, expanded words, ...)
  // A symbol, expression or menu node id, as the grammar symbol says (read
  // back with the accessor of that type).
  uint32_t id = UINT32_MAX;
  int n = 0;
  SymbolId sym() const { return SymbolId(id); }
  ExprId expr() const { return ExprId(id); }
  NodeId node() const { return NodeId(id); }
  template <class Tag>
  void set(Id<Tag> x) {
    id = x.index();
  }
  void set(NoneId) { id = UINT32_MAX; }
};

constexpr int kMaxStack = 10000;  // Bison's YYMAXDEPTH
constexpr int kEmpty = -2;        // no lookahead (YYEMPTY)

// One parse: lkc's global parser state (current_menu, current_entry, ...) as
// members.
class Parser {
 public:
  Parser(Model& m, Messages& msgs, const ParseOptions& opt, Dialect d, FileSystem& files)
      : m_(m),
        msgs_(msgs),
        g_(kconfig_grammar(d)),
        lex_(d, msgs, files, opt.cwd, opt.srctree),
        pp_(opt.env, opt.shell, msgs, lex_) {
    lex_.set_preprocessor(&pp_);
  }

  bool run(const std::string& file);

 private:
  // --- Bison driver (yacc.c skeleton semantics) -----------------------------
  int yyparse();
  void reduce(int rule, std::vector<int>& states, std::vector<Value>& vals);
  void destruct(int state, Value& v);
  void yyerror(const char* msg);

  // --- parser.y actions ------------------------------------------------------
  void action(Act a, Value* v, Value& out);
  void zconfprint(const std::string& text);
  void zconf_error(const std::string& text);
  bool endtoken(const char* found, const char* expected);
  const std::string& msg_file() const { return lex_.msg_filename(); }

  // --- menu.c construction ---------------------------------------------------
  NodeId menu_add_entry(SymbolId sym, NodeKind kind);
  NodeId menu_add_menu();
  void menu_end_menu();
  void menu_add_dep(ExprId dep) {
    MenuNode& n = m_.node(current_entry_);
    n.dep = m_.e_and(n.dep, dep);
    n.dep_parsed = n.dep;
  }
  void menu_add_visibility(ExprId e) {
    m_.node(current_entry_).visibility = m_.e_and(m_.node(current_entry_).visibility, e);
  }
  void menu_set_type(SymbolType type);
  PropId menu_add_prop(PropKind kind, ExprId expr, ExprId dep);
  PropId menu_add_prompt(PropKind kind, std::string text, ExprId dep);
  void warn_at(const Location& where, const std::string& text);

  // Token text of a semantic value ($n), and taking it over.
  std::string_view text(const Value& v) const {
    return v.str != kNoText ? std::string_view(strs_[v.str]) : v.word;
  }
  std::string take(const Value& v) {
    return v.str != kNoText ? std::move(strs_[v.str]) : std::string(v.word);
  }

  Model& m_;
  Messages& msgs_;
  const GrammarInfo& g_;
  std::vector<std::string> strs_;  // token texts of this parse
  Lexer lex_;
  Preprocessor pp_;

  NodeId current_menu_{0};
  NodeId current_entry_{0};
  struct Slot {  // lkc last_entry_ptr: &owner->list or &owner->next
    NodeId owner{0};
    bool list = true;
  } slot_;
  NodeId current_choice_ = kNone;  // 6.12
  SymbolId modules_sym_ = kNone;
  int nerrs_ = 0;
};

// ---------------------------------------------------------------------------
// menu.c

NodeId Parser::menu_add_entry(SymbolId sym, NodeKind kind) {
  MenuNode n;
  n.kind = kind;
  n.sym = sym;
  n.parent = current_menu_;
  n.where = {lex_.filename(), lex_.lineno(), 0};
  NodeId id = m_.new_node(std::move(n));
  if (slot_.list)
    m_.node(slot_.owner).first_child = id;
  else
    m_.node(slot_.owner).next = id;
  slot_ = {id, false};
  current_entry_ = id;
  if (sym != kNone) {
    m_.sym(sym).flags |= kSymDefined;
    if (m_.rules().symbol_back_link_property)
      menu_add_prop(PropKind::symbol, m_.e_sym(sym), kNone);  // P_SYMBOL
  }
  return id;
}

NodeId Parser::menu_add_menu() {
  slot_ = {current_entry_, true};
  current_menu_ = current_entry_;
  return current_menu_;
}

void Parser::menu_end_menu() {
  slot_ = {current_menu_, false};
  NodeId parent = m_.node(current_menu_).parent;
  if (parent != kNone) current_menu_ = parent;
}

void Parser::warn_at(const Location& where, const std::string& text) {
  msgs_.err(where.file + ":" + std::to_string(where.line) + ":warning: " + text + "\n", Severity::warning,
            where);
}

void Parser::menu_set_type(SymbolType type) {
  if (m_.node(current_entry_).type_decl == SymbolType::unknown) m_.node(current_entry_).type_decl = type;
  Symbol& sym = m_.sym(m_.node(current_entry_).sym);
  if (sym.type == type) return;
  if (sym.type == SymbolType::unknown) {
    sym.type = type;
    return;
  }
  warn_at(m_.node(current_entry_).where,
          "ignoring type redefinition of '" +
              (sym.is(kSymChoice) && sym.name.empty() ? std::string("<choice>") : sym.name) + "' from '" +
              sym_type_name(sym.type) + "' to '" + sym_type_name(type) + "'");
}

PropId Parser::menu_add_prop(PropKind kind, ExprId expr, ExprId dep) {
  Property p;
  p.kind = kind;
  p.sym = m_.node(current_entry_).sym;
  p.node = current_entry_;
  p.expr = expr;
  p.cond = dep;
  p.cond_parsed = dep;
  p.where = {lex_.filename(), lex_.lineno(), 0};
  return m_.add_prop(std::move(p));
}

PropId Parser::menu_add_prompt(PropKind kind, std::string text, ExprId dep) {
  PropId id = menu_add_prop(kind, kNone, dep);
  text = c_str(std::move(text));
  if (!text.empty() && c_isspace(static_cast<unsigned char>(text[0]))) {
    warn_at(m_.prop(id).where, "leading whitespace ignored");
    size_t i = 0;
    while (i < text.size() && c_isspace(static_cast<unsigned char>(text[i]))) ++i;
    text.erase(0, i);
  }
  if (m_.node(current_entry_).prompt != kNone) warn_at(m_.prop(id).where, "prompt redefined");
  if (kind == PropKind::prompt) {
    // Apply all enclosing menus' `visible if` to real prompts.
    for (NodeId n = m_.node(current_entry_).parent; n != kNone; n = m_.node(n).parent)
      if (m_.node(n).visibility != kNone)
        m_.prop(id).cond = m_.e_and(m_.prop(id).cond, m_.node(n).visibility);
    // (cond_parsed keeps the prompt's own `if`: the enclosing `visible if`
    // is printed with its menu.)
  }
  m_.node(current_entry_).prompt = id;
  m_.prop(id).text = std::move(text);
  return id;
}

// ---------------------------------------------------------------------------
// parser.y helpers

void Parser::zconfprint(const std::string& text) {
  msgs_.err(msg_file() + ":" + std::to_string(lex_.lineno()) + ": " + text + "\n",
            text.rfind("warning:", 0) == 0 ? Severity::warning : Severity::error,
            {msg_file(), lex_.lineno(), 0});
}

void Parser::zconf_error(const std::string& text) {
  ++nerrs_;
  msgs_.err(msg_file() + ":" + std::to_string(lex_.lineno()) + ": " + text + "\n", Severity::error,
            {msg_file(), lex_.lineno(), 0});
}

void Parser::yyerror(const char* msg) {
  int line = lex_.lineno() + m_.rules().syntax_error_line_offset;  // 6.1 prints zconf_lineno() + 1
  msgs_.err(msg_file() + ":" + std::to_string(line) + ": " + msg + "\n", Severity::error,
            {msg_file(), line, 0});
}

bool Parser::endtoken(const char* found, const char* expected) {
  if (std::strcmp(found, expected) != 0) {
    zconf_error(std::string("unexpected '") + found + "' within " + expected + " block");
    ++nerrs_;
    return false;
  }
  const MenuNode& cm = m_.node(current_menu_);
  if (cm.where.file != lex_.filename() || lex_.file_closed()) {
    zconf_error(std::string("'") + found + "' in different file than '" + expected + "'");
    msgs_.err(cm.where.file + ":" + std::to_string(cm.where.line) + ": location of the '" + expected + "'\n",
              Severity::error, cm.where);
    ++nerrs_;
    return false;
  }
  return true;
}

const char* end_name(int n) { return n == 0 ? "menu" : n == 1 ? "choice" : "if"; }

SymbolType to_type(int n) { return static_cast<SymbolType>(n); }

void Parser::action(Act a, Value* v, Value& out) {
  // v[1] is $1, as in Bison.
  const LkcRules& rules = m_.rules();
  switch (a) {
    case Act::none: break;
    case Act::mainmenu: menu_add_prompt(PropKind::menu, take(v[2]), kNone); break;
    case Act::unknown_stmt:
      zconf_error("unknown statement \"" + std::string(c_str_view(text(v[2]))) + "\"");
      break;
    case Act::invalid_stmt: zconf_error("invalid statement"); break;
    case Act::config_start: menu_add_entry(v[2].sym(), NodeKind::config); break;
    case Act::menuconfig_start: menu_add_entry(v[2].sym(), NodeKind::menuconfig); break;
    case Act::config_stmt:
      if (rules.choice_members_listed_while_parsing && current_choice_ != kNone) {
        const MenuNode& e = m_.node(current_entry_);
        SymbolId choice_sym = m_.node(current_choice_).sym;
        if (e.prompt == kNone) {
          msgs_.err(e.where.file + ":" + std::to_string(e.where.line) +
                        ": error: choice member must have a prompt\n",
                    Severity::error, e.where);
          ++nerrs_;
        }
        if (m_.sym(e.sym).type != SymbolType::boolean) {
          msgs_.err(
              e.where.file + ":" + std::to_string(e.where.line) + ": error: choice member must be bool\n",
              Severity::error, e.where);
          ++nerrs_;
        }
        Symbol& s = m_.sym(e.sym);
        if (s.choice == kNone) {
          s.choice = choice_sym;
          s.flags |= kSymChoiceValue;
          m_.sym(choice_sym).members.push_back(e.sym);
        }
      }
      break;
    case Act::menuconfig_stmt: {
      MenuNode& e = m_.node(current_entry_);
      if (e.prompt != kNone)
        m_.prop(e.prompt).kind = PropKind::menu;
      else
        zconfprint("warning: menuconfig statement without prompt");
      break;
    }
    case Act::type_option: menu_set_type(to_type(v[1].n)); break;
    case Act::prompt: menu_add_prompt(PropKind::prompt, take(v[2]), v[3].expr()); break;
    case Act::default_option:
      menu_add_prop(PropKind::default_, v[2].expr(), v[3].expr());
      if (to_type(v[1].n) != SymbolType::unknown) menu_set_type(to_type(v[1].n));
      break;
    case Act::select: menu_add_prop(PropKind::select, m_.e_sym(v[2].sym()), v[3].expr()); break;
    case Act::imply: menu_add_prop(PropKind::imply, m_.e_sym(v[2].sym()), v[3].expr()); break;
    case Act::range: {
      PropId p = menu_add_prop(PropKind::range, kNone, v[4].expr());
      m_.prop(p).range_lo = v[2].sym();
      m_.prop(p).range_hi = v[3].sym();
      break;
    }
    case Act::modules: {
      SymbolId s = m_.node(current_entry_).sym;
      if (modules_sym_ != kNone)
        zconf_error("symbol '" + m_.sym(s).name + "' redefines option 'modules' already defined by symbol '" +
                    m_.sym(modules_sym_).name + "'");
      modules_sym_ = s;
      break;
    }
    case Act::choice:
      if (rules.named_choices) {
        SymbolId s =
            v[2].n ? m_.intern_choice(c_str_view(text(v[2]))) : m_.new_choice_symbol(SymbolType::unknown);
        menu_add_entry(s, NodeKind::choice);
      } else {
        menu_add_entry(m_.new_choice_symbol(SymbolType::boolean), NodeKind::choice);
      }
      break;
    case Act::choice_entry:
      if (rules.choice_members_listed_while_parsing && m_.node(current_entry_).prompt == kNone) {
        const MenuNode& e = m_.node(current_entry_);
        msgs_.err(e.where.file + ":" + std::to_string(e.where.line) + ": error: choice must have a prompt\n",
                  Severity::error, e.where);
        ++nerrs_;
      }
      out.set(menu_add_menu());
      if (rules.choice_members_listed_while_parsing) current_choice_ = current_entry_;
      break;
    case Act::choice_end:
      current_choice_ = kNone;
      if (endtoken(end_name(v[1].n), "choice")) menu_end_menu();
      break;
    case Act::choice_type: menu_set_type(to_type(v[1].n)); break;
    case Act::optional: m_.sym(m_.node(current_entry_).sym).flags |= kSymOptional; break;
    case Act::choice_default: menu_add_prop(PropKind::default_, m_.e_sym(v[2].sym()), v[3].expr()); break;
    case Act::type_bool: out.n = static_cast<int>(SymbolType::boolean); break;
    case Act::type_tristate: out.n = static_cast<int>(SymbolType::tristate); break;
    case Act::type_int: out.n = static_cast<int>(SymbolType::integer); break;
    case Act::type_hex: out.n = static_cast<int>(SymbolType::hex); break;
    case Act::type_string: out.n = static_cast<int>(SymbolType::string); break;
    case Act::default_plain: out.n = static_cast<int>(SymbolType::unknown); break;
    case Act::default_bool: out.n = static_cast<int>(SymbolType::boolean); break;
    case Act::default_tristate: out.n = static_cast<int>(SymbolType::tristate); break;
    case Act::if_entry:
      menu_add_entry(kNone, NodeKind::if_);
      menu_add_dep(v[2].expr());
      out.set(menu_add_menu());
      break;
    case Act::if_end:
      if (endtoken(end_name(v[1].n), "if")) menu_end_menu();
      break;
    case Act::menu:
      menu_add_entry(kNone, NodeKind::menu);
      menu_add_prompt(PropKind::menu, take(v[2]), kNone);
      break;
    case Act::menu_entry: out.set(menu_add_menu()); break;
    case Act::menu_end:
      if (endtoken(end_name(v[1].n), "menu")) menu_end_menu();
      break;
    case Act::source: lex_.push_file(c_str(take(v[2]))); break;
    case Act::comment:
      menu_add_entry(kNone, NodeKind::comment);
      menu_add_prompt(PropKind::comment, take(v[2]), kNone);
      break;
    case Act::help_start: lex_.start_help(); break;
    case Act::help: {
      MenuNode& e = m_.node(current_entry_);
      const Symbol& s = m_.sym(e.sym);
      std::string name = s.name.empty() && s.is(kSymChoice) ? "<choice>" : s.name;
      if (e.has_help)
        zconfprint("warning: '" + name +
                   "' defined with more than one help text -- only the last one will be used");
      std::string text = c_str(take(v[2]));
      if (text.find_first_not_of(" \f\n\r\t\v") == std::string::npos)
        zconfprint("warning: '" + name + "' defined with blank help text");
      m_.set_help(current_entry_, text);
      break;
    }
    case Act::depends: menu_add_dep(v[3].expr()); break;
    case Act::visible: menu_add_visibility(v[2].expr()); break;
    case Act::prompt_opt: menu_add_prompt(PropKind::prompt, take(v[1]), v[2].expr()); break;
    case Act::end_menu: out.n = 0; break;
    case Act::end_choice: out.n = 1; break;
    case Act::end_if: out.n = 2; break;
    case Act::if_expr_none: out.set(kNone); break;
    case Act::if_expr: out.id = v[2].id; break;
    case Act::expr_symbol: out.set(m_.e_sym(v[1].sym())); break;
    case Act::expr_lth: out.set(m_.e_cmp(ExprKind::lth, v[1].sym(), v[3].sym())); break;
    case Act::expr_leq: out.set(m_.e_cmp(ExprKind::leq, v[1].sym(), v[3].sym())); break;
    case Act::expr_gth: out.set(m_.e_cmp(ExprKind::gth, v[1].sym(), v[3].sym())); break;
    case Act::expr_geq: out.set(m_.e_cmp(ExprKind::geq, v[1].sym(), v[3].sym())); break;
    case Act::expr_equal: out.set(m_.e_cmp(ExprKind::equal, v[1].sym(), v[3].sym())); break;
    case Act::expr_unequal: out.set(m_.e_cmp(ExprKind::unequal, v[1].sym(), v[3].sym())); break;
    case Act::expr_paren: out.id = v[2].id; break;
    case Act::expr_not: out.set(m_.e_not(v[2].expr())); break;
    case Act::expr_or: out.set(m_.e_or(v[1].expr(), v[3].expr())); break;
    case Act::expr_and: out.set(m_.e_and(v[1].expr(), v[3].expr())); break;
    case Act::nonconst_symbol: out.set(m_.intern(c_str_view(text(v[1])))); break;
    case Act::const_symbol: out.set(m_.intern_const(c_str_view(text(v[1])))); break;
    case Act::word_opt_none: out.n = 0; break;
    case Act::assignment:
      pp_.add_variable(std::string(c_str_view(text(v[1]))), take(v[3]), static_cast<Flavor>(v[2].n));
      break;
    case Act::op_recursive: out.n = static_cast<int>(Flavor::recursive); break;
    case Act::op_simple: out.n = static_cast<int>(Flavor::simple); break;
    case Act::op_append: out.n = static_cast<int>(Flavor::append); break;
    case Act::assign_val_empty: out.str = kNoText; break;
  }
}

// ---------------------------------------------------------------------------
// Bison driver

void Parser::destruct(int state, Value& v) {
  int sym = g_.state_symbol[state];
  if (sym != g_.nt_if_entry && sym != g_.nt_menu_entry && sym != g_.nt_choice_entry) return;
  if (v.node() == kNone) return;
  const MenuNode& n = m_.node(v.node());
  msgs_.err(n.where.file + ":" + std::to_string(n.where.line) + ": missing end statement for this entry\n",
            Severity::error, n.where);
  if (current_menu_ == v.node()) menu_end_menu();
}

void Parser::reduce(int rule, std::vector<int>& states, std::vector<Value>& vals) {
  const lalr::Tables& t = g_.tables;
  int len = t.rule_len[rule];
  Value out;
  const Act act = static_cast<Act>(t.rule_action[rule]);
  // rhs[1..len]
  Value* rhs = vals.data() + (vals.size() - len) - 1;
  if (act == Act::none) {
    if (len > 0) out = rhs[1];  // $$ = $1
  } else {
    action(act, rhs, out);  // every other action sets what its $$ carries
  }
  states.resize(states.size() - len);
  vals.resize(vals.size() - len);
  int to = t.go_to(states.back(), t.rule_lhs[rule]);
  states.push_back(to);
  vals.push_back(out);
}

int Parser::yyparse() {
  const lalr::Tables& t = g_.tables;
  std::vector<int> states{0};
  std::vector<Value> vals(1);
  int yychar = kEmpty;
  Value lval;
  int errstatus = 0;
  int result = 0;

  auto cleanup = [&](int res) {
    // yyreturnlab: the lookahead has no destructor; pop everything.
    while (states.size() > 1) {
      destruct(states.back(), vals.back());
      states.pop_back();
      vals.pop_back();
    }
    return res;
  };

  for (;;) {
    // yysetstate
    if (static_cast<int>(states.size()) >= kMaxStack) {
      yyerror("memory exhausted");
      return cleanup(2);
    }
    int state = states.back();
    if (state == t.final_state) return cleanup(0);

    int rule = -1;
    bool error = false;
    if (!t.needs_lookahead[state]) {
      rule = t.default_rule[state];
      if (rule < 0) error = true;
    } else {
      if (yychar == kEmpty) {
        lval = Value{};
        std::string tok;
        yychar = lex_.next(&tok, &lval.word);
        if (lex_.has_closed()) {
          // A file ended: the words still on the stack point into its text.
          for (Value& v : vals) {
            if (v.str != kNoText || v.word.empty()) continue;
            v.str = static_cast<uint32_t>(strs_.size());
            strs_.emplace_back(v.word);
            v.word = {};
          }
          lex_.release_closed();
        }
        if (yychar == T_WORD_QUOTE || yychar == T_HELPTEXT || yychar == T_ASSIGN_VAL ||
            (yychar == T_WORD && lval.word.empty())) {
          lval.str = static_cast<uint32_t>(strs_.size());
          strs_.push_back(std::move(tok));
        }
        lval.n = 1;
      }
      int a = t.act(state, yychar);
      if (a > 0) {
        if (errstatus) --errstatus;
        states.push_back(a - 1);
        vals.push_back(lval);
        yychar = kEmpty;
        continue;
      }
      if (a < 0) {
        rule = -a - 1;
      } else {
        rule = t.default_rule[state];
        if (rule < 0) error = true;
      }
    }
    if (!error) {
      reduce(rule, states, vals);
      continue;
    }

    // yyerrlab
    if (!errstatus) {
      ++nerrs_;
      yyerror("syntax error");
    }
    if (errstatus == 3) {
      if (yychar == T_EOF) return cleanup(1);
      if (yychar != kEmpty) yychar = kEmpty;  // discard the lookahead
    }
    // yyerrlab1
    errstatus = 3;
    for (;;) {
      int s = states.back();
      int a = t.act(s, T_ERROR);
      if (a > 0) {
        states.push_back(a - 1);
        vals.push_back(Value{});
        break;
      }
      if (states.size() == 1) {
        result = 1;
        break;
      }
      destruct(s, vals.back());
      states.pop_back();
      vals.pop_back();
    }
    if (result) return cleanup(result);
  }
}

bool Parser::run(const std::string& file) {
  current_menu_ = current_entry_ = m_.root();
  slot_ = {m_.root(), true};
  try {
    lex_.init(file);
    m_.node(m_.root()).where = {lex_.filename(), 0, 0};
    yyparse();
  } catch (const FatalError&) {
    m_.files = lex_.files();
    return false;
  }
  m_.files = lex_.files();
  m_.env_used = pp_.env_used();
  m_.env_unset = pp_.env_unset();
  if (nerrs_) return false;
  m_.modules_sym = modules_sym_ == kNone ? kSymNo : modules_sym_;
  MenuNode& root = m_.node(m_.root());
  if (root.prompt == kNone) {
    current_entry_ = m_.root();
    menu_add_prompt(PropKind::menu, "Main menu", kNone);
  }
  m_.mainmenu = m_.prop(m_.node(m_.root()).prompt).text;

  try {
    finalize(m_, msgs_);
    if (!check_model(m_, msgs_)) return false;
    m_.compact();
  } catch (const FatalError&) {
    return false;
  }
  return true;
}

}  // namespace

std::unique_ptr<Model> parse_kconfig(const std::string& file, const ParseOptions& options, Messages& msgs) {
  DiskFileSystem disk;
  FileSystem& files = options.files ? *options.files : disk;
  Dialect d = kDialectWithoutVersion;
  if (options.dialect) {
    d = *options.dialect;
  } else {
    auto in_cwd = [&](const std::string& p) {
      return options.cwd.empty() || p[0] == '/' ? p : (options.cwd == "/" ? "" : options.cwd) + "/" + p;
    };
    std::shared_ptr<const std::string> text;
    if (!options.srctree.empty())
      text = files.read_result(in_cwd(options.srctree + "/Makefile"), {.keep = false}).text;
    if (!text) text = files.read_result(in_cwd("Makefile"), {.keep = false}).text;
    if (text)
      if (auto dd = dialect_from_makefile(*text)) d = *dd;
  }
  auto model = std::make_unique<Model>(d);
  Parser p(*model, msgs, options, d, files);
  if (!p.run(file)) return nullptr;
  return model;
}

}  // namespace kmeta::kconfig
