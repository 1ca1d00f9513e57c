#include "uprev/uprev.h"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>

#include "base/file_util.h"
#include "base/json_bytes.h"
#include "config/dotconfig.h"
#include "config/requests.h"
#include "config/why.h"
#include "uprev/renames.h"
#include "uprev/report.h"

namespace kmeta::uprev {

namespace kc = kmeta::kconfig;
using config::ConfigRequest;
using config::ConfigResult;

namespace {

class Stopwatch {
 public:
  explicit Stopwatch(std::vector<config::Timing>* out) : out_(out), t_(std::chrono::steady_clock::now()) {}
  void lap(std::string phase) {
    auto now = std::chrono::steady_clock::now();
    out_->push_back({std::move(phase), std::chrono::duration<double>(now - t_).count()});
    t_ = now;
  }

 private:
  std::vector<config::Timing>* out_;
  std::chrono::steady_clock::time_point t_;
};

bool defined_in(const kc::Model& m, const std::string& name) {
  kc::SymbolId s = m.find(name);
  return s != kc::kNone && m.sym(s).is(kc::kSymDefined) && m.sym(s).type != kc::SymbolType::unknown;
}

SideFacts facts_of(const ConfigResult& r, const config::DotConfig& dot) {
  SideFacts f;
  for (const config::SymbolRequests& s : r.merge.requests) {
    const config::Assignment& w = s.winner();
    f.requests.push_back(
        {s.name, {w.value.value, config::location_of(r.queue, w.at), r.queue[w.at.fragment].queue_name}});
  }
  for (const config::Finding& x : r.audit.findings) f.findings[x.symbol] = &x;
  const kc::Model* m = r.kernel.model.get();
  f.defined = [m](const std::string& n) { return defined_in(*m, n); };
  f.value = [&dot](const std::string& n) { return dot.value(n); };
  f.written = [&dot](const std::string& n) { return dot.get(n) != nullptr; };
  return f;
}

SideState plain_state(const ConfigResult& r, const config::DotConfig& dot, const std::string& name) {
  SideState s;
  s.defined = defined_in(*r.kernel.model, name);
  s.value = dot.value(name);
  s.written = dot.get(name) != nullptr;
  return s;
}

config::QueuedFragment extra_fragment(std::string path, std::string text) {
  config::QueuedFragment q;
  q.queue_name = path;
  q.kconf_class = "required";
  q.fragment = config::parse_fragment(std::move(path), std::move(text));
  return q;
}

// NEW resolved again with `extra` queued after its fragments: the same merge,
// resolution and audit `kmeta config` runs, with fixes for `fix_symbols`.
struct Extended {
  std::vector<config::QueuedFragment> queue;  // NEW's queue + extra; filled only to audit
  config::MergeResult merge;
  std::unique_ptr<kc::Configuration> cfg;
  std::string dotconfig;
};

// `state` is the merge of r.queue: only `extra` is merged on top of it.
Extended extend(const ConfigRequest& rq, const ConfigResult& r, const config::MergeState& state,
                const std::vector<config::QueuedFragment>& extra, bool render = true) {
  Extended e;
  std::vector<const config::QueuedFragment*> q;
  q.reserve(r.queue.size() + extra.size());
  for (const config::QueuedFragment& f : r.queue) q.push_back(&f);
  for (const config::QueuedFragment& f : extra) q.push_back(&f);
  e.merge = state.extend(q);
  e.cfg = config::resolve_seed(r.kernel, config::kSeedName, e.merge.seed, rq.mode);
  if (render) e.dotconfig = config::render_dotconfig(*e.cfg, r.kernel);
  return e;
}

config::AuditReport audit_extended(const ConfigRequest& rq, ConfigResult& r, const config::MergeState& state,
                                   Extended& e, const std::vector<config::QueuedFragment>& extra,
                                   const std::vector<std::string>& fix_symbols) {
  ConfigRequest with_fixes = rq;
  with_fixes.fixes = true;
  e.queue = r.queue;
  e.queue.insert(e.queue.end(), extra.begin(), extra.end());
  return config::audit_queue(with_fixes, r.kernel, e.queue, e.merge, *e.cfg, r.classes, e.dotconfig,
                             r.tree.get(), fix_symbols, &state);
}

const config::Finding* finding_for(const config::AuditReport& a, const std::string& symbol) {
  for (const config::Finding& f : a.findings)
    if (f.symbol == symbol) return &f;
  return nullptr;
}

// What requesting CONFIG_<symbol>=<value> after NEW's fragments gives.
struct CheckOutcome {
  bool done = false;
  bool explained = false;  // note and fix were looked for
  std::string result;
  bool holds = false;
  std::string note;
  std::vector<config::FixLine> fix;
};
// One outcome per (symbol, value): a candidate proposed for several vanished
// symbols is resolved once (the check does not depend on which one it is).
using CheckMemo = std::map<std::pair<std::string, std::string>, CheckOutcome>;

// The candidate requested after NEW's fragments, resolved; when it does not
// hold and `explain`, the audit says why and looks for a verified fix.
CheckOutcome run_check(const ConfigRequest& rq, ConfigResult& r, const config::MergeState& state,
                       const std::string& symbol, const std::string& value, bool explain) {
  CheckOutcome o;
  o.done = true;
  o.explained = explain;
  std::string line = value == "n" ? fmt::format("# CONFIG_{} is not set\n", symbol)
                                  : fmt::format("CONFIG_{}={}\n", symbol, value);
  // Values are computed lazily: only what the candidate needs, unless it does
  // not hold and the audit has to explain it.
  std::vector<config::QueuedFragment> extra = {extra_fragment("<uprev: rename check>", line)};
  Extended e = extend(rq, r, state, extra, false);
  const kc::Model& m = *r.kernel.model;
  kc::SymbolId s = m.find(symbol);
  kc::SymbolType t = m.sym(s).type;
  if (t == kc::SymbolType::boolean || t == kc::SymbolType::tristate) {
    o.result = std::string(1, kc::tri_char(e.cfg->tri(s)));
    o.holds = config::same_value(value, o.result);
    if (o.holds) return o;
  }
  e.dotconfig = config::render_dotconfig(*e.cfg, r.kernel);
  o.result = config::DotConfig::value_in(e.dotconfig, symbol);
  o.holds = config::same_value(value, o.result);
  if (o.holds || !explain) return o;
  config::AuditReport a = audit_extended(rq, r, state, e, extra, {symbol});
  if (const config::Finding* f = finding_for(a, symbol)) {
    o.note = fmt::format("{}: {}", config::to_string(f->kind), f->message);
    if (f->fix.status == config::Fix::Status::verified) o.fix = f->fix.lines;
  }
  return o;
}

// "Requesting CONFIG_Y=v on NEW gives ...". Only a probable rename is worth
// the audit's explanation when it fails.
void check_candidate(const ConfigRequest& rq, ConfigResult& r, const config::MergeState& state,
                     RenameCandidate& c, const std::string& value, CheckMemo& memo) {
  const bool explain = c.score >= kProbableRename;
  c.checked = true;
  c.requested = value;
  CheckOutcome& o = memo[{c.symbol, value}];
  if (!o.done || (explain && !o.explained && !o.holds)) o = run_check(rq, r, state, c.symbol, value, explain);
  c.result = o.result;
  c.holds = o.holds;
  if (explain) {
    c.note = o.note;
    c.fix = o.fix;
  }
}

std::string why_text(const ConfigRequest& rq, ConfigResult& r, const std::string& symbol) {
  return config::render_why(config::why(rq, r, symbol));
}

}  // namespace

bool run_uprev(const UprevRequest& req, UprevResult* out, Diagnostics* diags) {
  Stopwatch sw(&out->timings);
  // Both sides as `kmeta config` resolves them, side by side; fixes come
  // later, only for what regressed.
  ConfigRequest a = req.from, b = req.to;
  a.fixes = b.fixes = false;
  bool ok_a = false, ok_b = false;
  Diagnostics diags_a, diags_b;  // one sink per thread
  std::thread old_side([&] { ok_a = config::run_config(a, &out->from, &diags_a); });
  ok_b = config::run_config(b, &out->to, &diags_b);
  old_side.join();
  sw.lap("both sides (parallel)");
  // Each side's reason, its unlocated messages naming the side.
  auto side = [&](const char* name, const Diagnostics& ds) {
    for (Diagnostic d : ds.items()) {
      if (!d.where.valid()) d.message = std::string(name) + ": " + d.message;
      diags->report(std::move(d));
    }
    return false;
  };
  if (!ok_a) return side("OLD", diags_a);
  if (!ok_b) return side("NEW", diags_b);
  ConfigResult& from = out->from;
  ConfigResult& to = out->to;
  config::DotConfig dot_a = config::DotConfig::parse(from.dotconfig);
  config::DotConfig dot_b = config::DotConfig::parse(to.dotconfig);

  out->changes = compare_requests(facts_of(from, dot_a), facts_of(to, dot_b));
  sw.lap("compare");

  // Fixes and `why` on NEW for what regressed or fails anew.
  std::vector<std::string> fix_symbols;
  for (const SymbolChange& c : out->changes)
    if (c.kind == ChangeKind::regressed || c.kind == ChangeKind::new_failure) fix_symbols.push_back(c.symbol);
  if (!fix_symbols.empty() && req.to.fixes) {
    ConfigRequest with_fixes = req.to;
    with_fixes.fixes = true;
    to.audit = config::audit_queue(with_fixes, to.kernel, to.queue, to.merge, *to.cfg, to.classes,
                                   to.dotconfig, to.tree.get(), fix_symbols);
    std::unordered_map<std::string, const config::Finding*> now;
    for (const config::Finding& f : to.audit.findings) now[f.symbol] = &f;
    for (SymbolChange& c : out->changes)
      if (c.to.finding)
        if (auto it = now.find(c.symbol); it != now.end()) c.to.finding = *it->second;
  }
  for (SymbolChange& c : out->changes)
    if (c.kind == ChangeKind::regressed || c.kind == ChangeKind::new_failure)
      c.why = why_text(req.to, to, c.symbol);
  sw.lap("fixes + why");

  RenameIndex renames(*from.kernel.model, from.kernel.srctree, *to.kernel.model, to.kernel.srctree);
  CheckMemo checks;
  // NEW's queue merged once: every check merges only its extra fragment on
  // top (built on first use).
  std::optional<config::MergeState> to_state;
  auto state = [&]() -> const config::MergeState& {
    if (!to_state) {
      std::vector<const config::QueuedFragment*> q;
      q.reserve(to.queue.size());
      for (const config::QueuedFragment& f : to.queue) q.push_back(&f);
      to_state.emplace(q);
    }
    return *to_state;
  };
  for (SymbolChange& c : out->changes) {
    if (c.kind != ChangeKind::vanished) continue;
    c.renames = renames.candidates(c.symbol, req.renames_listed, kListedRename);
    if (!req.check_renames) continue;
    for (size_t i = 0; i < c.renames.size() && i < req.renames_checked; ++i)
      check_candidate(req.to, to, state(), c.renames[i], c.from.request, checks);
  }
  for (const SymbolChange& c : out->changes) ++out->counts[static_cast<int>(c.kind)];
  sw.lap("renames");

  // Requirements.
  std::vector<config::QueuedFragment> require_queue;
  for (const std::string& path : req.require_files) {
    std::string err;
    auto text = read_file(path, &err);
    if (!text) {
      diags->error({}, fmt::format("--require {}: {}", path, err));
      return false;
    }
    config::QueuedFragment q = extra_fragment(path, *text);
    for (const config::SanityIssue& i : config::check_fragment(q.fragment))
      out->diags.warning({path, i.line, 0}, i.message);
    for (const config::FragmentLine& l : q.fragment.lines) {
      if (l.kind != config::LineKind::set && l.kind != config::LineKind::unset) continue;
      RequirementResult r;
      r.symbol = l.name;
      r.value = config::requested_value(l).value;
      r.at = {path, l.number, 0};
      r.from = plain_state(from, dot_a, l.name);
      r.to = plain_state(to, dot_b, l.name);
      r.holds = config::same_value(r.value, r.to.value);
      r.held_on_old = config::same_value(r.value, r.from.value);
      out->requirements.push_back(std::move(r));
    }
    require_queue.push_back(std::move(q));
  }
  std::vector<std::string> failing;
  for (const RequirementResult& r : out->requirements)
    if (!r.holds) failing.push_back(r.symbol);
  out->requirements_hold = failing.empty();
  if (!failing.empty()) {
    Extended e = extend(req.to, to, state(), require_queue);
    config::AuditReport ar = audit_extended(req.to, to, state(), e, require_queue, failing);
    for (RequirementResult& r : out->requirements) {
      if (r.holds) continue;
      if (const config::Finding* f = finding_for(ar, r.symbol))
        r.finding = *f;
      else
        r.queue_fixes = true;
      r.why = why_text(req.to, to, r.symbol);
      if (!r.to.defined && r.from.defined) {
        r.renames = renames.candidates(r.symbol, req.renames_listed, kListedRename);
        if (req.check_renames)
          for (size_t i = 0; i < r.renames.size() && i < req.renames_checked; ++i)
            check_candidate(req.to, to, state(), r.renames[i], r.value, checks);
      }
    }
  }
  sw.lap("requirements");

  // The .config diff, as diffconfig reads the files, explained.
  ConfigValues va, vb;
  if (!read_values(from.dotconfig, "OLD's resolved .config", &va, diags) ||
      !read_values(to.dotconfig, "NEW's resolved .config", &vb, diags))
    return false;
  out->delta = diff_values(va, vb);
  DiffSide sa{*from.kernel.model, *from.cfg, from.merge, from.queue};
  DiffSide sb{*to.kernel.model, *to.cfg, to.merge, to.queue};
  out->diff = explain_delta(out->delta, sa, sb, &renames);
  sw.lap("config diff");

  if (req.all_vanished) {
    for (const std::string& n : renames.vanished())
      out->all_vanished.push_back({n, renames.candidates(n, 3)});
    sw.lap("all vanished");
  }
  return true;
}

bool write_uprev(const std::string& dir, const UprevRequest& req, const UprevResult& res,
                 Diagnostics* diags) {
  std::string err;
  std::string* error = &err;
  auto failed = [&] {
    diags->error({}, err);
    return false;
  };
  ReportOptions opt;
  opt.all = true;
  if (!write_file_atomic(dir + "/old.config", res.from.dotconfig, error)) return failed();
  if (!write_file_atomic(dir + "/new.config", res.to.dotconfig, error)) return failed();
  if (!write_file_atomic(dir + "/uprev.json", json_dump(to_json(req, res), 1) + "\n", error)) return failed();
  if (!write_file_atomic(dir + "/uprev.txt", render_text(req, res, opt), error)) return failed();
  return true;
}

}  // namespace kmeta::uprev
