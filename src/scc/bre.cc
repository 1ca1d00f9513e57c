#include "scc/bre.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>

namespace kmeta::scc {

namespace {

constexpr int kInf = -1;
constexpr int kDupMax = 32767;  // RE_DUP_MAX

bool is_word(int c) {
  return c >= 0 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
}

bool in_class(std::string_view name, unsigned char c) {
  bool upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z', digit = c >= '0' && c <= '9';
  bool alpha = upper || lower, print = c >= 0x20 && c < 0x7f;
  if (name == "alpha") return alpha;
  if (name == "upper") return upper;
  if (name == "lower") return lower;
  if (name == "digit") return digit;
  if (name == "alnum") return alpha || digit;
  if (name == "xdigit") return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  if (name == "space") return c == ' ' || (c >= '\t' && c <= '\r');
  if (name == "blank") return c == ' ' || c == '\t';
  if (name == "print") return print;
  if (name == "graph") return print && c != ' ';
  if (name == "punct") return print && c != ' ' && !alpha && !digit;
  if (name == "cntrl") return c < 0x20 || c == 0x7f;
  return false;
}

bool valid_class(std::string_view name) {
  for (const char* n : {"alpha", "upper", "lower", "digit", "alnum", "xdigit", "space", "blank", "print",
                        "graph", "punct", "cntrl"})
    if (name == n) return true;
  return false;
}

struct Node {
  enum Kind : uint8_t { set, assert_, concat, alt, repeat } kind = set;
  int set_index = 0;
  Bre::Assert assertion{};
  std::vector<int> kids;
  int min = 0, max = 0;

  static Node of(Kind k) {
    Node n;
    n.kind = k;
    return n;
  }
};

struct Error {
  std::string message;
};

}  // namespace

class BreCompiler {
 public:
  BreCompiler(std::string_view p, const BreLimits& l, Bre* out) : p_(p), limits_(l), out_(out) {}

  void run() {
    if (p_.size() > limits_.max_pattern)
      throw Error{fmt::format("pattern is {} bytes long; the limit is {}", p_.size(), limits_.max_pattern)};
    int root = alternation(0);
    if (i_ < p_.size()) throw Error{"Unmatched ) or \\)"};  // alternation stops only at "\)"
    size_t need = size(root);
    if (need + 1 > limits_.max_program)
      throw Error{fmt::format("pattern too big: it expands to more than {} NFA states (bound {})", need,
                              limits_.max_program)};
    emit(root);
    out_->prog_.push_back(Bre::Inst(Bre::Inst::match));
  }

 private:
  int node(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size() - 1);
  }
  int set_node(const std::bitset<256>& s) {
    out_->sets_.push_back(s);
    Node n = Node::of(Node::set);
    n.set_index = static_cast<int>(out_->sets_.size() - 1);
    return node(std::move(n));
  }
  int literal(unsigned char c) {
    std::bitset<256> s;
    s.set(c);
    return set_node(s);
  }
  int assertion(Bre::Assert a) {
    Node n = Node::of(Node::assert_);
    n.assertion = a;
    return node(std::move(n));
  }
  bool at(std::string_view s) const { return p_.substr(i_, s.size()) == s; }
  void nest(size_t depth) const {
    if (depth > limits_.max_nesting)
      throw Error{fmt::format("groups and repetitions nest deeper than {}", limits_.max_nesting)};
  }

  // regex := branch ('\|' branch)*   (stops at a "\)" or the end)
  int alternation(size_t depth) {
    nest(depth);
    Node a = Node::of(Node::alt);
    a.kids.push_back(branch(depth));
    while (at("\\|")) {
      i_ += 2;
      a.kids.push_back(branch(depth));
    }
    if (a.kids.size() == 1) return a.kids[0];
    return node(std::move(a));
  }

  int branch(size_t depth) {
    Node c = Node::of(Node::concat);
    std::vector<size_t> stacked;  // repetitions applied to each piece
    // Where BRE treats '*', '\+', '\?' and '\{' as literals: nothing before them
    // in the branch but (at most) a leading '^' anchor.
    auto start_context = [&] {
      return c.kids.empty() || (c.kids.size() == 1 && nodes_[c.kids[0]].kind == Node::assert_ &&
                                nodes_[c.kids[0]].assertion == Bre::Assert::line_start && leading_caret_);
    };
    leading_caret_ = false;
    auto postfix = [&](int min, int max) {
      int last = c.kids.back();
      nest(depth + ++stacked.back());
      Node r = Node::of(Node::repeat);
      r.kids = {last};
      r.min = min;
      r.max = max;
      c.kids.back() = node(std::move(r));
    };
    auto piece = [&](int n) {
      c.kids.push_back(n);
      stacked.push_back(0);
    };
    while (i_ < p_.size()) {
      char ch = p_[i_];
      if (ch == '\\') {
        if (i_ + 1 >= p_.size()) throw Error{"Trailing backslash"};
        char e = p_[i_ + 1];
        if (e == ')' || e == '|') break;
        i_ += 2;
        switch (e) {
          case '(': {
            bool saved = leading_caret_;
            int g = alternation(depth + 1);
            leading_caret_ = saved;
            if (!at("\\)")) throw Error{"Unmatched ( or \\("};
            i_ += 2;
            // An empty group still occupies its place (a following '*' is an operator).
            if (g < 0) g = node(Node::of(Node::concat));
            piece(g);
            break;
          }
          case '{':
            if (start_context()) {
              piece(literal('{'));
            } else {
              auto [mn, mx] = interval();
              postfix(mn, mx);
            }
            break;
          case '+':
          case '?':
            if (start_context())
              piece(literal(static_cast<unsigned char>(e)));
            else
              postfix(e == '+' ? 1 : 0, e == '+' ? kInf : 1);
            break;
          case '<': piece(assertion(Bre::Assert::word_start)); break;
          case '>': piece(assertion(Bre::Assert::word_end)); break;
          case 'b': piece(assertion(Bre::Assert::word_boundary)); break;
          case 'B': piece(assertion(Bre::Assert::not_word_boundary)); break;
          case '`': piece(assertion(Bre::Assert::line_start)); break;
          case '\'': piece(assertion(Bre::Assert::line_end)); break;
          case 'w':
          case 'W':
          case 's':
          case 'S': {
            std::bitset<256> s;
            for (int b = 0; b < 256; ++b) {
              bool in =
                  (e == 'w' || e == 'W') ? is_word(b) : in_class("space", static_cast<unsigned char>(b));
              if (in == (e == 'w' || e == 's')) s.set(b);
            }
            piece(set_node(s));
            break;
          }
          default:
            if (e >= '1' && e <= '9')
              throw Error{
                  fmt::format("back-reference '\\{}' is not supported (it makes matching exponential)", e)};
            piece(literal(static_cast<unsigned char>(e)));  // '\.', '\*', '\}', and grep's stray '\c'
            break;
        }
        continue;
      }
      ++i_;
      switch (ch) {
        case '^':
          if (c.kids.empty()) {
            piece(assertion(Bre::Assert::line_start));
            leading_caret_ = true;
          } else {
            piece(literal('^'));
          }
          break;
        case '$':
          if (i_ == p_.size() || at("\\)") || at("\\|"))
            piece(assertion(Bre::Assert::line_end));
          else
            piece(literal('$'));
          break;
        case '*':
          if (start_context())
            piece(literal('*'));
          else
            postfix(0, kInf);
          break;
        case '.': {
          std::bitset<256> s;
          s.set();
          s.reset('\n');
          piece(set_node(s));
          break;
        }
        case '[': piece(set_node(bracket())); break;
        default: piece(literal(static_cast<unsigned char>(ch))); break;
      }
    }
    if (c.kids.size() == 1) return c.kids[0];
    return node(std::move(c));
  }

  // After "\{": m, m,, m,n or ,n then "\}".
  std::pair<int, int> interval() {
    auto number = [&](bool* any) {
      long v = 0;
      *any = false;
      while (i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '9') {
        v = std::min<long>(v * 10 + (p_[i_] - '0'), kDupMax + 1L);
        *any = true;
        ++i_;
      }
      return static_cast<int>(v);
    };
    bool has_min = false, has_max = false, comma = false;
    int mn = number(&has_min), mx = mn;
    if (i_ < p_.size() && p_[i_] == ',') {
      comma = true;
      ++i_;
      mx = number(&has_max);
      if (!has_max) mx = kInf;
    }
    if (i_ >= p_.size()) throw Error{"Unmatched \\{"};
    if (!at("\\}")) {
      if (i_ + 1 >= p_.size() && p_[i_] == '\\') throw Error{"Trailing backslash"};
      throw Error{"Invalid content of \\{\\}"};
    }
    i_ += 2;
    if (!has_min && !comma) throw Error{"Invalid content of \\{\\}"};
    if (mn > kDupMax || mx > kDupMax) throw Error{"Regular expression too big"};
    if (mx != kInf && mx < mn) throw Error{"Invalid content of \\{\\}"};
    return {mn, mx};
  }

  // After '[': the bracket expression up to its ']'.
  std::bitset<256> bracket() {
    const Error unmatched{"Unmatched [, [^, [:, [., or [="};
    std::bitset<256> s;
    bool negate = false;
    if (i_ < p_.size() && p_[i_] == '^') {
      negate = true;
      ++i_;
    }
    bool first = true;
    // One element: a byte, or a [:class:] (returned as -1 after filling `s`).
    auto element = [&](bool* is_class) -> int {
      *is_class = false;
      if (p_[i_] == '[' && i_ + 1 < p_.size() &&
          (p_[i_ + 1] == ':' || p_[i_ + 1] == '.' || p_[i_ + 1] == '=')) {
        char kind = p_[i_ + 1];
        const char close[] = {kind, ']', 0};
        size_t e = p_.find(close, i_ + 2);
        if (e == std::string_view::npos) throw unmatched;
        std::string_view name = p_.substr(i_ + 2, e - (i_ + 2));
        i_ = e + 2;
        if (kind == ':') {
          if (!valid_class(name)) throw Error{"Invalid character class name"};
          for (int b = 0; b < 256; ++b)
            if (in_class(name, static_cast<unsigned char>(b))) s.set(b);
          *is_class = true;
          return -1;
        }
        if (name.size() != 1) throw Error{"Invalid collation character"};
        return static_cast<unsigned char>(name[0]);
      }
      return static_cast<unsigned char>(p_[i_++]);
    };
    while (true) {
      if (i_ >= p_.size()) throw unmatched;
      if (p_[i_] == ']' && !first) {
        ++i_;
        break;
      }
      first = false;
      bool is_class = false;
      int lo = element(&is_class);
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        if (is_class) throw Error{"Invalid range end"};
        ++i_;
        bool hi_class = false;
        int hi = element(&hi_class);
        if (hi_class || hi < lo) throw Error{"Invalid range end"};
        for (int b = lo; b <= hi; ++b) s.set(b);
      } else if (!is_class) {
        s.set(lo);
      }
    }
    if (negate) {
      s.flip();
      s.reset('\n');
    }
    return s;
  }

  // Instructions `n` will need (saturating a little above the bound).
  size_t size(int n) {
    const size_t cap = limits_.max_program + 1;
    const Node& x = nodes_[n];
    auto add = [&](size_t a, size_t b) { return std::min(cap, a + b); };
    auto mul = [&](size_t a, size_t b) {
      return a == 0 || b == 0 ? 0 : (a > cap / b ? cap : std::min(cap, a * b));
    };
    switch (x.kind) {
      case Node::set:
      case Node::assert_: return 1;
      case Node::concat: {
        size_t t = 0;
        for (int k : x.kids) t = add(t, size(k));
        return t;
      }
      case Node::alt: {
        size_t t = 2 * (x.kids.size() - 1);
        for (int k : x.kids) t = add(t, size(k));
        return t;
      }
      case Node::repeat: {
        size_t c = size(x.kids[0]);
        size_t t = mul(c, static_cast<size_t>(x.min));
        if (x.max == kInf) return add(t, add(c, 2));
        return add(t, mul(add(c, 1), static_cast<size_t>(x.max - x.min)));
      }
    }
    return cap;
  }

  void emit(int n) {
    auto& prog = out_->prog_;
    auto pc = [&] { return static_cast<int>(prog.size()); };
    const Node x = nodes_[n];
    switch (x.kind) {
      case Node::set: {
        Bre::Inst i{Bre::Inst::set};
        i.x = x.set_index;
        prog.push_back(i);
        return;
      }
      case Node::assert_: {
        Bre::Inst i{Bre::Inst::assert_};
        i.assertion = x.assertion;
        prog.push_back(i);
        return;
      }
      case Node::concat:
        for (int k : x.kids) emit(k);
        return;
      case Node::alt: {
        std::vector<int> jumps;
        for (size_t k = 0; k < x.kids.size(); ++k) {
          if (k + 1 < x.kids.size()) {
            int split = pc();
            prog.push_back(Bre::Inst(Bre::Inst::split));
            prog[split].x = pc();
            emit(x.kids[k]);
            jumps.push_back(pc());
            prog.push_back(Bre::Inst(Bre::Inst::jmp));
            prog[split].y = pc();
          } else {
            emit(x.kids[k]);
          }
        }
        for (int j : jumps) prog[j].x = pc();
        return;
      }
      case Node::repeat: {
        for (int k = 0; k < x.min; ++k) emit(x.kids[0]);
        if (x.max == kInf) {
          int split = pc();
          prog.push_back(Bre::Inst(Bre::Inst::split));
          prog[split].x = pc();
          emit(x.kids[0]);
          Bre::Inst j{Bre::Inst::jmp};
          j.x = split;
          prog.push_back(j);
          prog[split].y = pc();
        } else {
          std::vector<int> splits;
          for (int k = x.min; k < x.max; ++k) {
            splits.push_back(pc());
            prog.push_back(Bre::Inst(Bre::Inst::split));
            prog[splits.back()].x = pc();
            emit(x.kids[0]);
          }
          for (int s : splits) prog[s].y = pc();
        }
        return;
      }
    }
  }

  std::string_view p_;
  size_t i_ = 0;
  bool leading_caret_ = false;
  BreLimits limits_;
  Bre* out_;
  std::vector<Node> nodes_;
};

std::optional<Bre> Bre::compile(std::string_view pattern, std::string* error, const BreLimits& limits) {
  Bre b;
  try {
    BreCompiler(pattern, limits, &b).run();
  } catch (const Error& e) {
    if (error) *error = e.message;
    return std::nullopt;
  }
  return b;
}

bool Bre::search(std::string_view line) const {
  const int n = static_cast<int>(prog_.size());
  // Two sparse sets of program counters, and a per-position mark against
  // revisiting a state through epsilon edges.
  std::vector<int> cur, next, stack;
  std::vector<int> mark(n, -1);
  cur.reserve(n);
  next.reserve(n);
  bool matched = false;
  // Adds `start` and everything reachable from it without consuming input at
  // position `pos` into `list` (set states only; `match` ends the search).
  auto add = [&](std::vector<int>& list, int start, size_t pos) {
    int prev = pos > 0 ? static_cast<unsigned char>(line[pos - 1]) : -1;
    int nxt = pos < line.size() ? static_cast<unsigned char>(line[pos]) : -1;
    stack.push_back(start);
    while (!stack.empty()) {
      int pc = stack.back();
      stack.pop_back();
      if (mark[pc] == static_cast<int>(pos)) continue;
      mark[pc] = static_cast<int>(pos);
      const Inst& in = prog_[pc];
      switch (in.op) {
        case Inst::set: list.push_back(pc); break;
        case Inst::match: matched = true; break;
        case Inst::jmp: stack.push_back(in.x); break;
        case Inst::split:
          stack.push_back(in.y);
          stack.push_back(in.x);
          break;
        case Inst::assert_: {
          bool ok = false;
          switch (in.assertion) {
            case Assert::line_start: ok = pos == 0; break;
            case Assert::line_end: ok = pos == line.size(); break;
            case Assert::word_start: ok = !is_word(prev) && is_word(nxt); break;
            case Assert::word_end: ok = is_word(prev) && !is_word(nxt); break;
            case Assert::word_boundary: ok = is_word(prev) != is_word(nxt); break;
            case Assert::not_word_boundary: ok = is_word(prev) == is_word(nxt); break;
          }
          if (ok) stack.push_back(pc + 1);
          break;
        }
      }
    }
  };
  for (size_t pos = 0;; ++pos) {
    add(cur, 0, pos);  // unanchored: a match may start anywhere
    if (matched) return true;
    if (pos == line.size() || cur.empty()) {
      if (pos == line.size()) return false;
      // Nothing alive: skip ahead (the next position restarts from 0).
      continue;
    }
    unsigned char c = static_cast<unsigned char>(line[pos]);
    next.clear();
    for (int pc : cur)
      if (sets_[prog_[pc].x].test(c)) add(next, pc + 1, pos + 1);
    if (matched) return true;
    std::swap(cur, next);
    // States added for pos+1 keep their marks; `add(cur, 0, pos + 1)` above on
    // the next turn joins them without duplicates.
  }
}

}  // namespace kmeta::scc
