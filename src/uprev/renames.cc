#include "uprev/renames.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "base/strings.h"
#include "config/audit.h"

namespace kmeta::uprev {

namespace kc = kmeta::kconfig;

namespace {

// Calls f(word) for each lower-cased run of letters and digits of at least
// 3 characters (repeats included).
template <class F>
void for_each_word(std::string_view text, F&& f) {
  std::string w;
  auto flush = [&] {
    if (w.size() >= 3) f(w);
    w.clear();
  };
  for (char ch : text) {
    if (std::isalnum(static_cast<unsigned char>(ch)))
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    else
      flush();
  }
  flush();
}

std::set<std::string> words(std::string_view text) {
  std::set<std::string> out;
  for_each_word(text, [&](const std::string& w) { out.insert(w); });
  return out;
}

// Jaccard similarity of two sorted, duplicate-free word id lists: what
// text_similarity() computes from the texts.
double jaccard(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

std::string normalize_prompt(std::string_view p) {
  std::string out;
  out.reserve(p.size());
  bool space = false;
  for (char ch : trim(p)) {
    if (std::isspace(static_cast<unsigned char>(ch))) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

// The help text names `symbol` as a word (with or without CONFIG_).
bool mentions(std::string_view help, const std::string& symbol) {
  size_t pos = 0;
  while ((pos = help.find(symbol, pos)) != std::string_view::npos) {
    auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    bool left = pos == 0 || !word_char(help[pos - 1]) ||
                (pos >= 7 && help.substr(pos - 7, 7) == "CONFIG_" && (pos == 7 || !word_char(help[pos - 8])));
    bool right = pos + symbol.size() >= help.size() || !word_char(help[pos + symbol.size()]);
    if (left && right) return true;
    pos += symbol.size();
  }
  return false;
}

// name_similarity(a, b) when it is at least 0.5 (the scoring's threshold),
// else 0: the edit distance stops once it exceeds half the longer name.
double name_similarity_above_half(std::string_view a, std::string_view b) {
  size_t longer = std::max(a.size(), b.size());
  if (longer == 0) return 1;
  size_t d = edit_distance(a, b, longer / 2);
  if (d > longer / 2) return 0;
  return 1.0 - static_cast<double>(d) / static_cast<double>(longer);
}

}  // namespace

double name_similarity(const std::string& a, const std::string& b) {
  size_t longer = std::max(a.size(), b.size());
  if (longer == 0) return 1;
  size_t d = edit_distance(a, b, longer);
  return 1.0 - static_cast<double>(d) / static_cast<double>(longer);
}

double text_similarity(std::string_view a, std::string_view b) {
  std::set<std::string> wa = words(a), wb = words(b);
  if (wa.empty() || wb.empty()) return 0;
  size_t common = 0;
  for (const auto& w : wa) common += wb.count(w);
  return static_cast<double>(common) / static_cast<double>(wa.size() + wb.size() - common);
}

// The index holds views of the models (names, prompts, help texts, file
// names), which outlive it: building it copies no symbol's strings, and
// freeing it is freeing the tables.
struct RenameIndex::Impl {
  struct Info {
    kc::SymbolId id = kc::kNone;
    std::string_view prompt;  // first prompt, as written
    // All help texts: a view of the model's help text, or of `help_joined`
    // when the symbol has several.
    std::string_view help;
    std::string help_joined;
    std::string_view file;         // first definition, relative to the tree
    const Location* at = nullptr;  // the model's
    std::string_view prev, next;   // neighbours in that file
    std::string_view type;
    // normalize_prompt(prompt): computed by build() for NEW's symbols (its
    // prompt index needs it), on first use (under Impl::mu) for OLD's.
    mutable std::string norm_prompt;
    // The words of prompt and help as sorted word ids (Impl::word_ids),
    // computed on first use (under Impl::mu).
    mutable bool have_words = false;
    mutable std::vector<uint32_t> prompt_words, help_words;
  };
  struct Side {
    const kc::Model* m = nullptr;
    std::string root;
    std::unordered_map<std::string_view, Info> info;  // defined, named symbols (node-based: Info stays put)
    std::vector<std::string_view> order;              // definition order
    std::unordered_map<std::string_view, std::vector<std::string_view>> by_file;
    std::unordered_map<std::string_view, std::vector<std::string_view>>
        by_prompt;  // normalized prompt (Info::norm_prompt)
  };
  Side a, b;
  std::vector<std::string_view> new_in_b;
  // Over the symbols new in NEW: name token -> names, and identifier named
  // in the help text -> names (so a lookup does not scan every help text).
  std::unordered_map<std::string_view, std::vector<std::string_view>> by_token, help_names;
  // Word -> id for the similarity measures; the lazily filled parts of Info
  // and this dictionary are guarded by `mu` (candidates() is const).
  mutable std::mutex mu;
  mutable std::unordered_map<std::string, uint32_t> dict;

  std::vector<uint32_t> word_ids(std::string_view text) const {
    std::vector<uint32_t> out;
    for_each_word(text, [&](const std::string& w) {
      out.push_back(dict.try_emplace(w, static_cast<uint32_t>(dict.size())).first->second);
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  const Info& with_words(const Info& i) const {
    if (!i.have_words) {
      if (i.norm_prompt.empty()) i.norm_prompt = normalize_prompt(i.prompt);
      i.prompt_words = word_ids(i.prompt);
      i.help_words = word_ids(i.help);
      i.have_words = true;
    }
    return i;
  }

  // The '_'-separated parts of at least 3 characters (views of `name`).
  static std::vector<std::string_view> tokens(std::string_view name) {
    std::vector<std::string_view> out;
    for (std::string_view t : split(name, '_'))
      if (t.size() >= 3) out.push_back(t);
    return out;
  }

  void index_new() {
    for (std::string_view n : new_in_b) {
      for (std::string_view t : tokens(n)) by_token[t].push_back(n);
      std::string_view help = b.info.at(n).help;
      size_t start = 0;
      for (size_t i = 0; i <= help.size(); ++i) {
        char ch = i < help.size() ? help[i] : ' ';
        if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_') continue;
        std::string_view word = help.substr(start, i - start);
        start = i + 1;
        if (word.size() > 3) {
          std::string_view w = starts_with(word, "CONFIG_") ? word.substr(7) : word;
          auto& v = help_names[w];
          if (v.empty() || v.back() != n) v.push_back(n);
        }
      }
    }
  }

  static std::string_view relative(const std::string& root, std::string_view f) {
    if (!root.empty() && f.size() > root.size() && f.compare(0, root.size(), root) == 0 &&
        f[root.size()] == '/')
      return f.substr(root.size() + 1);
    return f;
  }

  // `prompts`: also index the symbols by normalized prompt (NEW only: the
  // pool looks OLD's prompt up there).
  static void build(Side& s, bool prompts) {
    const kc::Model& m = *s.m;
    for (kc::NodeId n : m.node_ids()) {
      const kc::MenuNode& node = m.node(n);
      if (node.kind != kc::NodeKind::config && node.kind != kc::NodeKind::menuconfig) continue;
      if (node.sym == kc::kNone) continue;
      const kc::Symbol& sy = m.sym(node.sym);
      if (sy.name.empty() || !sy.is(kc::kSymDefined)) continue;
      auto [it, fresh] = s.info.try_emplace(sy.name);
      Info& i = it->second;
      if (fresh) {
        i.id = node.sym;
        i.at = &node.where;
        i.file = relative(s.root, node.where.file.str());
        i.type = kc::type_name(sy.type);
        for (kc::PropId p : sy.props)
          if (config::is_prompt(m.prop(p))) {
            i.prompt = m.prop(p).text;
            break;
          }
        s.order.push_back(sy.name);
        auto& list = s.by_file[i.file];
        if (!list.empty()) {
          i.prev = list.back();
          s.info.find(list.back())->second.next = sy.name;
        }
        list.push_back(sy.name);
        if (prompts && !i.prompt.empty()) {
          i.norm_prompt = normalize_prompt(i.prompt);
          s.by_prompt[std::string_view(i.norm_prompt)].push_back(sy.name);
        }
      }
      if (node.has_help) {
        if (i.help.empty()) {
          i.help = m.help(n);
        } else {
          i.help_joined = std::string(i.help) + '\n' + std::string(m.help(n));
          i.help = i.help_joined;
        }
      }
    }
  }

  // The score of `t` as a rename of `s`, with the evidence listed when
  // `evidence` (the score is the same either way). Both must have their words.
  RenameCandidate score(const Info& s, const std::string& old_name, std::string_view name, const Info& t,
                        bool evidence) const {
    RenameCandidate c;
    c.symbol = name;
    c.type = std::string(t.type);
    c.at = *t.at;
    c.new_in_to = a.info.find(name) == a.info.end();
    bool textual = false;
    auto add = [&](int w, auto why) {
      c.score += w;
      if (evidence) c.evidence.push_back(fmt::format("{} ({:+d})", why(), w));
    };
    if (!s.prompt.empty() && !t.prompt.empty()) {
      if (s.norm_prompt == t.norm_prompt) {
        add(50, [&] { return fmt::format("same prompt \"{}\"", t.prompt); });
        textual = true;
      } else if (double p = jaccard(s.prompt_words, t.prompt_words); p >= 0.5) {
        add(static_cast<int>(std::lround(20 * p)),
            [&] { return fmt::format("similar prompt \"{}\" ({:.2f})", t.prompt, p); });
        textual = true;
      }
    }
    if (mentions(t.help, old_name)) {
      add(40, [&] { return fmt::format("its help text names {}", old_name); });
      textual = true;
    }
    if (!s.help.empty() && !t.help.empty())
      if (double h = jaccard(s.help_words, t.help_words); h >= 0.3) {
        add(static_cast<int>(std::lround(30 * h)),
            [&] { return fmt::format("similar help text ({:.2f})", h); });
        textual = textual || h >= 0.5;  // below, mostly shared boilerplate ("Say Y here ...")
      }
    if (!s.file.empty() && s.file == t.file) {
      add(10, [&] { return fmt::format("same Kconfig file ({})", t.file); });
      if ((!s.prev.empty() && s.prev == t.prev) || (!s.next.empty() && s.next == t.next))
        add(10, [&] {
          return fmt::format("same position (between {} and {})", t.prev.empty() ? "-" : t.prev,
                             t.next.empty() ? "-" : t.next);
        });
    }
    if (double ns = name_similarity_above_half(old_name, name); ns >= 0.5)
      add(static_cast<int>(std::lround(20 * ns)), [&] { return fmt::format("similar name ({:.2f})", ns); });
    if (s.type == t.type)
      add(5, [&] { return fmt::format("same type ({})", t.type); });
    else
      add(-10, [&] { return fmt::format("other type ({} -> {})", s.type, t.type); });
    if (c.new_in_to)
      add(10, [] { return std::string("new in NEW"); });
    else
      add(-40, [] { return std::string("OLD has it too"); });
    // Name, file and position alone also match a removed symbol's surviving
    // neighbours: without prompt or help evidence a candidate is never probable.
    if (!textual && c.score >= kProbableRename) {
      if (evidence)
        c.evidence.push_back(fmt::format("no prompt or help evidence: capped at {}", kProbableRename - 1));
      c.score = kProbableRename - 1;
    }
    return c;
  }

  // An upper bound of score(s, old_name, name, t) that needs neither word
  // list: the prompt and help similarities at their maximum, the rest exact
  // (the cap only lowers a score), except that the name similarity is taken
  // at its maximum too when even that stays below `min_score` (it costs an
  // edit distance). s.norm_prompt must be set (with_words).
  int max_score(const Info& s, const std::string& old_name, std::string_view name, const Info& t,
                int min_score) const {
    int m = 0;
    if (!s.prompt.empty() && !t.prompt.empty()) {
      const std::string& tn =
          t.norm_prompt.empty() ? (t.norm_prompt = normalize_prompt(t.prompt)) : t.norm_prompt;
      m += s.norm_prompt == tn ? 50 : 20;
    }
    if (!t.help.empty() && mentions(t.help, old_name)) m += 40;
    if (!s.help.empty() && !t.help.empty()) m += 30;
    if (!s.file.empty() && s.file == t.file) {
      m += 10;
      if ((!s.prev.empty() && s.prev == t.prev) || (!s.next.empty() && s.next == t.next)) m += 10;
    }
    m += s.type == t.type ? 5 : -10;
    m += a.info.find(name) == a.info.end() ? 10 : -40;
    if (m + 20 < min_score) return m + 20;
    if (double ns = name_similarity_above_half(old_name, name); ns >= 0.5)
      m += static_cast<int>(std::lround(20 * ns));
    return m;
  }
};

RenameIndex::RenameIndex(const kc::Model& from, std::string from_root, const kc::Model& to,
                         std::string to_root)
    : impl_(std::make_unique<Impl>()) {
  impl_->a.m = &from;
  impl_->a.root = std::move(from_root);
  impl_->b.m = &to;
  impl_->b.root = std::move(to_root);
  Impl::build(impl_->a, false);
  Impl::build(impl_->b, true);
  for (std::string_view n : impl_->b.order)
    if (!impl_->a.info.count(n)) impl_->new_in_b.push_back(n);
  impl_->index_new();
}

RenameIndex::~RenameIndex() = default;

std::vector<std::string> RenameIndex::vanished() const {
  std::vector<std::string> out;
  for (std::string_view n : impl_->a.order)
    if (!impl_->b.info.count(n)) out.emplace_back(n);
  return out;
}

std::vector<RenameCandidate> RenameIndex::candidates(const std::string& old_symbol, size_t max,
                                                     int min_score) const {
  const Impl& I = *impl_;
  std::vector<RenameCandidate> out;
  auto sit = I.a.info.find(old_symbol);
  if (sit == I.a.info.end() || I.b.info.count(old_symbol)) return out;
  std::lock_guard<std::mutex> lock(I.mu);
  const Impl::Info& s = I.with_words(sit->second);
  // The pool: same prompt, same file, help naming the old symbol, similar
  // names among the symbols new in NEW.
  std::unordered_set<std::string_view> pool;
  if (!s.prompt.empty())
    if (auto it = I.b.by_prompt.find(s.norm_prompt); it != I.b.by_prompt.end())
      pool.insert(it->second.begin(), it->second.end());
  if (auto it = I.b.by_file.find(s.file); it != I.b.by_file.end())
    pool.insert(it->second.begin(), it->second.end());
  for (std::string_view tok : Impl::tokens(old_symbol))
    if (auto it = I.by_token.find(tok); it != I.by_token.end())
      for (std::string_view n : it->second) {
        size_t half = std::max(old_symbol.size(), n.size()) / 2;
        if (edit_distance(old_symbol, n, half) <= half) pool.insert(n);
      }
  if (auto it = I.help_names.find(old_symbol); it != I.help_names.end())
    pool.insert(it->second.begin(), it->second.end());
  for (std::string_view n : pool) {
    const Impl::Info& raw = I.b.info.at(n);
    // Most of the pool cannot reach min_score whatever its texts: skip the
    // word lists and the scoring for those.
    if (I.max_score(s, old_symbol, n, raw, min_score) < min_score) continue;
    const Impl::Info& t = I.with_words(raw);
    RenameCandidate c = I.score(s, old_symbol, n, t, false);
    if (c.score >= min_score) out.push_back(I.score(s, old_symbol, n, t, true));
  }
  std::sort(out.begin(), out.end(), [](const RenameCandidate& x, const RenameCandidate& y) {
    return x.score != y.score ? x.score > y.score : x.symbol < y.symbol;
  });
  if (out.size() > max) out.resize(max);
  return out;
}

}  // namespace kmeta::uprev
