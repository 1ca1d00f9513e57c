#include "config/merge.h"

#include <fmt/format.h>

#include <string_view>

#include "base/strings.h"

namespace kmeta::config {

namespace {

bool is_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Calls f(token, end) for each maximal run of word characters in `line`
// (grep -w's notion of a word in the C locale); `end` is the index after it.
template <class F>
void for_each_word(std::string_view line, F&& f) {
  size_t i = 0;
  while (i < line.size()) {
    if (!is_word_char(line[i])) {
      ++i;
      continue;
    }
    size_t b = i;
    while (i < line.size() && is_word_char(line[i])) ++i;
    f(line.substr(b, i - b), i);
  }
}

// True for a word grep -w can match as CONFIG_X: the merge only ever looks
// words up as "CONFIG_" + name, so no other word needs an index entry.
bool config_word(std::string_view w) { return w.size() >= 7 && w.compare(0, 7, "CONFIG_") == 0; }

// The merged file under construction, with the indexes that make grep -w and
// sed /X[ =]/d lookups cheap. Lines are only ever appended or deleted, so the
// per-key id lists stay in file order. Line texts and index keys are views of
// the fragments' texts, which outlive the merge.
class Seed {
 public:
  struct Line {
    std::string_view text;
    LineRef origin;
    bool alive = true;
  };

  void append(std::string_view text, LineRef origin, bool newline) {
    uint32_t id = static_cast<uint32_t>(lines_.size());
    // Both indexes hold words (or suffixes) starting with CONFIG_ only.
    if (text.find("CONFIG_") != std::string_view::npos)
      for_each_word(text, [&](std::string_view w, size_t end) {
        if (config_word(w)) add(words_, w, id);
        if (end < text.size() && (text[end] == ' ' || text[end] == '=')) {
          // Every suffix of the word that starts with CONFIG_ is a symbol whose
          // `sed /CONFIG_X[ =]/d` deletes this line.
          for (size_t p = w.find("CONFIG_"); p != std::string_view::npos; p = w.find("CONFIG_", p + 1))
            add(delete_keys_, w.substr(p), id);
        }
      });
    lines_.push_back({text, origin, true});
    no_newline_ = newline ? UINT32_MAX : id;
  }

  // `echo >> file`: completes an unterminated last line, else adds an empty one.
  void echo() {
    if (no_newline_ != UINT32_MAX && lines_[no_newline_].alive) {
      no_newline_ = UINT32_MAX;
      return;
    }
    append("", {}, true);
  }

  // Alive lines in which `word` occurs as a word (grep -w).
  std::vector<uint32_t> grep_word(const std::string& word) const { return alive(&Seed::words_, word); }
  // Alive lines that `sed /word[ =]/d` deletes.
  std::vector<uint32_t> sed_targets(const std::string& word) const {
    return alive(&Seed::delete_keys_, word);
  }

  // A seed to append to that starts as this one, without copying its
  // indexes: lookups read this seed's (for its lines) and then the
  // extension's own. This seed must outlive the extension and not change.
  Seed extension() const {
    Seed s;
    s.base_ = this;
    s.lines_ = lines_;
    s.no_newline_ = no_newline_;
    return s;
  }

  void kill(uint32_t id) { lines_[id].alive = false; }
  const Line& line(uint32_t id) const { return lines_[id]; }

  void render(std::string* text, std::vector<LineRef>* origin) const {
    size_t size = 0;
    for (const Line& l : lines_) size += l.alive ? l.text.size() + 1 : 0;
    text->reserve(size);
    for (uint32_t id = 0; id < lines_.size(); ++id) {
      const Line& l = lines_[id];
      if (!l.alive) continue;
      text->append(l.text);
      if (id != no_newline_) text->push_back('\n');
      origin->push_back(l.origin);
    }
  }

 private:
  using Index = std::unordered_map<std::string_view, std::vector<uint32_t>>;
  static void add(Index& idx, std::string_view key, uint32_t id) {
    auto& v = idx[key];
    if (v.empty() || v.back() != id) v.push_back(id);
  }
  // The alive lines of index `which` under `key`: the base's entries (its
  // lines come first) then this seed's own.
  std::vector<uint32_t> alive(Index Seed::*which, std::string_view key) const {
    std::vector<uint32_t> out;
    for (const Seed* s : {base_, this}) {
      if (!s) continue;
      const Index& idx = s->*which;
      auto it = idx.find(key);
      if (it == idx.end()) continue;
      for (uint32_t id : it->second)
        if (lines_[id].alive) out.push_back(id);
    }
    return out;
  }

  std::vector<Line> lines_;
  uint32_t no_newline_ = UINT32_MAX;  // the unterminated last line, if any
  Index words_;                       // CONFIG_ words only (config_word)
  Index delete_keys_;
  const Seed* base_ = nullptr;  // indexes the lines this seed started with (extension())
};

// Splits a fragment's text into lines; `last_newline` tells whether the final
// line ended with '\n'.
std::vector<std::string_view> file_lines(std::string_view text, bool* last_newline) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      out.push_back(text.substr(pos));
      *last_newline = false;
      return out;
    }
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  *last_newline = true;
  return out;
}

// Appends the fragment's lines, less the `dropped` ones (by line number):
// what `cat fragment >> seed` adds after `sed -i /X/d fragment`. Only the
// file's own last line can lack its newline.
void append_fragment(Seed& seed, const Fragment& f, uint32_t index, const std::vector<char>& dropped = {}) {
  bool last_nl = true;
  std::vector<std::string_view> lines = file_lines(f.text, &last_nl);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i + 1 < dropped.size() && dropped[i + 1]) continue;
    seed.append(lines[i], {index, static_cast<int>(i + 1)}, i + 1 < lines.size() || last_nl);
  }
}

// ${VAL#CONFIG_*=}: VAL less its shortest prefix matching `CONFIG_*=`.
std::string value_after_assignment(std::string_view v) {
  if (v.rfind("CONFIG_", 0) != 0) return std::string(v);
  size_t eq = v.find('=', 7);
  return eq == std::string_view::npos ? std::string(v) : std::string(v.substr(eq + 1));
}

// Whether `sed /CFG[ =]/d` deletes `line`.
bool deletes_line(std::string_view line, const std::string& cfg) {
  for (size_t p = line.find(cfg); p != std::string_view::npos; p = line.find(cfg, p + 1)) {
    size_t e = p + cfg.size();
    if (e < line.size() && (line[e] == ' ' || line[e] == '=')) return true;
  }
  return false;
}

}  // namespace

const Assignment* SymbolRequests::effective() const {
  for (auto it = assignments.rbegin(); it != assignments.rend(); ++it)
    if (it->in_seed) return &*it;
  return nullptr;
}

const SymbolRequests* MergeResult::find(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? nullptr : &requests[it->second];
}

LineRef MergeResult::origin(int seed_line) const {
  if (seed_line < 1 || static_cast<size_t>(seed_line) > seed_origin.size()) return {};
  return seed_origin[seed_line - 1];
}

// The merge state: the seed under construction and the result so far.
struct MergeState::State {
  MergeOptions options;
  Seed seed;
  MergeResult r;
  // Assignment bookkeeping: (fragment, line) -> (symbol index, assignment index).
  std::vector<std::vector<std::pair<size_t, size_t>>> where;
};

MergeState::MergeState() = default;
MergeState::~MergeState() = default;
MergeState::MergeState(MergeState&&) noexcept = default;
MergeState& MergeState::operator=(MergeState&&) noexcept = default;

MergeState::MergeState(const std::vector<const QueuedFragment*>& queue, const MergeOptions& options)
    : state_(std::make_unique<State>()) {
  state_->options = options;
  for (uint32_t fi = 0; fi < queue.size(); ++fi) add(*state_, queue, fi);
}

size_t MergeState::merged() const { return state_ ? state_->where.size() : 0; }

MergeResult MergeState::extend(const std::vector<const QueuedFragment*>& queue) const {
  if (!state_) return merge_fragments(queue);
  // A copy of the state, less the seed's word indexes (read from the state's).
  State st;
  st.options = state_->options;
  st.seed = state_->seed.extension();
  st.r = state_->r;
  st.where = state_->where;
  for (uint32_t fi = static_cast<uint32_t>(st.where.size()); fi < queue.size(); ++fi) add(st, queue, fi);
  return finish(std::move(st));
}

MergeResult MergeState::finish(State&& st) {
  MergeResult r = std::move(st.r);
  st.seed.render(&r.seed, &r.seed_origin);
  return r;
}

void MergeState::add(State& st, const std::vector<const QueuedFragment*>& queue, uint32_t fi) {
  Seed& seed = st.seed;
  MergeResult& r = st.r;
  const MergeOptions& options = st.options;
  auto& where = st.where;
  where.resize(fi + 1);

  auto record_assignments = [&](uint32_t fj) {
    const Fragment& f = queue[fj]->fragment;
    where[fj].assign(f.lines.size() + 1, {SIZE_MAX, SIZE_MAX});
    for (const FragmentLine& l : f.lines) {
      if (l.kind != LineKind::set && l.kind != LineKind::unset) continue;
      auto [it, fresh] = r.index_.emplace(l.name, r.requests.size());
      if (fresh) r.requests.push_back({l.name, {}});
      SymbolRequests& s = r.requests[it->second];
      where[fj][l.number] = {it->second, s.assignments.size()};
      s.assignments.push_back({{fj, l.number}, requested_value(l), true});
    }
  };
  auto name_of = [&](uint32_t k) -> const std::string& {
    return queue[k]->merge_name.empty()
               ? queue[k]->queue_name.empty() ? queue[k]->fragment.path : queue[k]->queue_name
               : queue[k]->merge_name;
  };
  auto on_delete = [&](uint32_t id) {
    const Seed::Line& l = seed.line(id);
    if (l.origin.fragment == kNoFragment) return;
    auto [si, ai] = where[l.origin.fragment][l.origin.line];
    if (si != SIZE_MAX) r.requests[si].assignments[ai].in_seed = false;
  };

  if (fi == 0) {
    r.log += fmt::format("Using {} as base\n", name_of(0));
    record_assignments(0);
    append_fragment(seed, queue[0]->fragment, 0);
    return;
  }

  {
    const Fragment& f = queue[fi]->fragment;
    r.log += fmt::format("Merging {}\n", name_of(fi));
    // The fragment's own word index, for "New value" (grep -w CFG MERGE_FILE),
    // built when the first redefinition needs it.
    std::unordered_map<std::string_view, std::vector<int>> own_words;
    bool own_indexed = false;
    bool last_nl = true;
    std::vector<std::string_view> flines = file_lines(f.text, &last_nl);
    auto index_own = [&] {
      own_indexed = true;
      for (size_t i = 0; i < flines.size(); ++i) {
        if (flines[i].find("CONFIG_") == std::string_view::npos) continue;
        for_each_word(flines[i], [&](std::string_view w, size_t) {
          if (!config_word(w)) return;
          auto& v = own_words[w];
          if (v.empty() || v.back() != static_cast<int>(i + 1)) v.push_back(static_cast<int>(i + 1));
        });
      }
    };

    // Lines of this fragment deleted from it (-y: `sed /CFG[ =]/d` on the
    // fragment instead of the seed), by line number.
    std::vector<char> dropped(flines.size() + 2, 0);
    for (const FragmentLine& l : f.lines) {
      if (l.kind != LineKind::set && l.kind != LineKind::unset) continue;
      std::string cfg = "CONFIG_" + l.name;
      std::vector<uint32_t> prev = seed.grep_word(cfg);
      if (prev.empty()) continue;
      Redefinition d;
      d.name = l.name;
      d.fragment = fi;
      for (uint32_t id : prev) {
        if (!d.previous_text.empty()) d.previous_text += '\n';
        d.previous_text += seed.line(id).text;
        d.previous.push_back(seed.line(id).origin);
      }
      static const std::vector<int> kNoLines;
      if (!own_indexed) index_own();
      auto own = own_words.find(cfg);
      for (int ln : own == own_words.end() ? kNoLines : own->second) {
        if (dropped[ln]) continue;
        if (!d.next_text.empty()) d.next_text += '\n';
        d.next_text += flines[ln - 1];
        d.next.push_back({fi, ln});
      }
      d.differs = d.previous_text != d.next_text;
      if (options.builtin && value_after_assignment(d.next_text) == "m" &&
          value_after_assignment(d.previous_text) == "y") {
        // -y: keep the =y, drop the fragment's lines instead.
        if (!options.quiet)
          r.log += fmt::format("{}\n{}\n-y passed, will not demote y to m\n\n",
                               echo_words("Previous  value: " + d.previous_text),
                               echo_words("New value:       " + d.next_text));
        for (size_t i = 0; i < flines.size(); ++i)
          if (!dropped[i + 1] && deletes_line(flines[i], cfg)) dropped[i + 1] = 1;
        r.redefinitions.push_back(std::move(d));
        continue;
      }
      if (d.differs) {
        r.strict_violation = true;
        if (!options.quiet)
          r.log += fmt::format("Value of {} is redefined by fragment {}:\n{}\n{}\n\n", cfg, name_of(fi),
                               echo_words("Previous  value: " + d.previous_text),
                               echo_words("New value:       " + d.next_text));
      } else if (options.warn_redundant && !options.quiet) {
        r.log += fmt::format("Value of {} is redundant by fragment {}:\n", cfg, name_of(fi));
      }
      for (uint32_t id : seed.sed_targets(cfg)) {
        const Seed::Line& dl = seed.line(id);
        if (dl.origin.fragment != kNoFragment) {
          const FragmentLine& src = queue[dl.origin.fragment]->fragment.lines[dl.origin.line - 1];
          bool same = (src.kind == LineKind::set || src.kind == LineKind::unset) && src.name == l.name;
          if (!same)
            r.collateral.push_back({dl.origin, std::string(dl.text),
                                    src.kind == LineKind::set || src.kind == LineKind::unset ? src.name : "",
                                    l.name, fi});
        }
        on_delete(id);
        seed.kill(id);
      }
      r.redefinitions.push_back(std::move(d));
    }
    record_assignments(fi);
    seed.echo();
    append_fragment(seed, f, fi, dropped);
    for (size_t ln = 1; ln < dropped.size(); ++ln)
      if (dropped[ln]) {
        auto [si, ai] = where[fi][ln];
        if (si != SIZE_MAX) r.requests[si].assignments[ai].in_seed = false;
      }
  }
}

MergeResult merge_fragments(const std::vector<QueuedFragment>& queue, const MergeOptions& options) {
  std::vector<const QueuedFragment*> refs;
  refs.reserve(queue.size());
  for (const QueuedFragment& q : queue) refs.push_back(&q);
  return merge_fragments(refs, options);
}

MergeResult merge_fragments(const std::vector<const QueuedFragment*>& queue, const MergeOptions& options) {
  MergeState::State st;
  st.options = options;
  for (uint32_t fi = 0; fi < queue.size(); ++fi) MergeState::add(st, queue, fi);
  return MergeState::finish(std::move(st));
}

}  // namespace kmeta::config

namespace kmeta::config {

namespace {

// Lines of `text` (without their newline) and, per word, the lines it occurs
// in as a word: grep -w's answers without a scan per symbol.
struct WordIndex {
  std::vector<std::string_view> lines;
  std::unordered_map<std::string_view, std::vector<uint32_t>> words;

  explicit WordIndex(std::string_view text) {
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string_view::npos) nl = text.size();
      std::string_view line = text.substr(pos, nl - pos);
      uint32_t id = static_cast<uint32_t>(lines.size());
      lines.push_back(line);
      for_each_word(line, [&](std::string_view w, size_t) {
        auto& v = words[w];
        if (v.empty() || v.back() != id) v.push_back(id);
      });
      pos = nl + 1;
    }
  }
  // $(grep -w WORD file): the matching lines joined by newlines.
  std::string grep(std::string_view word) const {
    std::string out;
    auto it = words.find(word);
    if (it == words.end()) return out;
    for (uint32_t id : it->second) {
      if (!out.empty()) out += '\n';
      out += lines[id];
    }
    while (!out.empty() && out.back() == '\n') out.pop_back();
    return out;
  }
};

bool symbol_char(char c) { return is_word_char(c); }

// sed -n -e 's/^\(CONFIG_[a-zA-Z0-9_]*\)=.*/\1/p' -e 's/^# \(CONFIG_[a-zA-Z0-9_]*\) is not set$/\1/p'
std::string assigned_name(std::string_view line) {
  if (line.rfind("CONFIG_", 0) == 0) {
    size_t e = 7;
    while (e < line.size() && symbol_char(line[e])) ++e;
    if (e < line.size() && line[e] == '=') return std::string(line.substr(0, e));
  }
  if (line.rfind("# CONFIG_", 0) == 0) {
    size_t e = 9;
    while (e < line.size() && symbol_char(line[e])) ++e;
    if (line.substr(e) == " is not set") return std::string(line.substr(2, e - 2));
  }
  return {};
}

}  // namespace

std::string requested_not_in_final(std::string_view merged, std::string_view final_config) {
  WordIndex m(merged), f(final_config);
  std::string out;
  for (std::string_view line : m.lines) {
    std::string cfg = assigned_name(line);
    if (cfg.empty()) continue;
    std::string requested = m.grep(cfg), actual = f.grep(cfg);
    if (requested != actual)
      out += fmt::format(
          "Value requested for {} not in final .config\nRequested value:  {}\nActual value:     {}\n\n", cfg,
          requested, actual);
  }
  return out;
}

}  // namespace kmeta::config
