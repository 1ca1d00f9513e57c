#include "config/requests.h"

#include <unordered_set>

namespace kmeta::config {

Location location_of(const std::vector<QueuedFragment>& queue, const LineRef& at) {
  if (at.fragment == kNoFragment || at.fragment >= queue.size()) return {};
  return {queue[at.fragment].fragment.path, at.line, 0};
}

std::vector<FragmentFinding> fragment_findings(const std::vector<QueuedFragment>& queue) {
  std::vector<FragmentFinding> out;
  std::unordered_set<std::string> seen;
  for (const QueuedFragment& q : queue) {
    if (!seen.insert(q.fragment.path).second) continue;
    for (SanityIssue& i : check_fragment(q.fragment)) {
      FragmentFinding f;
      f.at = {q.fragment.path, i.line, 0};
      f.issue = std::move(i);
      f.fragment = q.queue_name;
      f.chain = q.chain;
      f.kconf_class = q.kconf_class;
      out.push_back(std::move(f));
    }
  }
  return out;
}

std::vector<Redefined> redefinitions(const std::vector<QueuedFragment>& queue, const MergeResult& merge) {
  std::vector<Redefined> out;
  for (const SymbolRequests& s : merge.requests) {
    // Only assignments in different fragment files count (duplicates inside
    // one fragment are a sanity finding).
    bool several = false;
    for (const Assignment& a : s.assignments)
      if (queue[a.at.fragment].fragment.path != queue[s.assignments.front().at.fragment].fragment.path)
        several = true;
    if (!several) continue;
    Redefined d;
    d.symbol = s.name;
    for (const Assignment& a : s.assignments) {
      const QueuedFragment& q = queue[a.at.fragment];
      d.sites.push_back({a.value.value, q.queue_name, location_of(queue, a.at), q.chain});
      if (a.value.value != s.assignments.front().value.value) d.differs = true;
    }
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace kmeta::config
