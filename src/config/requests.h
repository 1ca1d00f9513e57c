// The request side of the audit: who asked for which value, where, through
// which .scc include chain; fragment problems and redefinitions. Needs no
// Kconfig: these are facts about the fragment queue and its merge.
#pragma once

#include <vector>

#include "config/findings.h"
#include "config/merge.h"

namespace kmeta::config {

// fragment file:line of a merged line reference.
Location location_of(const std::vector<QueuedFragment>& queue, const LineRef& at);

// The sanity findings of every fragment (a fragment queued twice is reported once).
std::vector<FragmentFinding> fragment_findings(const std::vector<QueuedFragment>& queue);

// Symbols assigned in more than one fragment, with every site.
std::vector<Redefined> redefinitions(const std::vector<QueuedFragment>& queue, const MergeResult& merge);

}  // namespace kmeta::config
