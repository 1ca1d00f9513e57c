// Rename candidates for a symbol OLD defines and NEW does not.
//
// Kconfig symbols get renamed (CONFIG_EMBEDDED -> CONFIG_EXPERT, driver
// consolidations, ...) and a fragment that still names the old symbol is
// silently ignored on the new kernel. RenameIndex looks at both parsed models
// and ranks the symbols of NEW that could carry the old one's meaning, by
// evidence, each item with its weight:
//   same prompt text (50), similar prompt (up to 20), the help text names the
//   old symbol (40), similar help text (up to 30), same Kconfig file (10) and
//   same position in it (10), similar name (up to 20), same type (5; another
//   type -10), new in NEW (10; a symbol OLD already had -40). Without prompt
// evidence, help naming the old symbol or help similarity of at least 0.5,
// a candidate is capped below kProbableRename.
// The ranking is only a hypothesis: kmeta uprev then checks each candidate by
// resolving NEW with it requested (uprev.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "kconfig/model.h"
#include "uprev/changes.h"

namespace kmeta::uprev {

class RenameIndex {
 public:
  // Both models must outlive the index. `from_root` / `to_root` are the
  // kernel trees (Kconfig file names are compared relative to them).
  RenameIndex(const kconfig::Model& from, std::string from_root, const kconfig::Model& to,
              std::string to_root);
  ~RenameIndex();
  RenameIndex(const RenameIndex&) = delete;
  RenameIndex& operator=(const RenameIndex&) = delete;

  // Ranked candidates (best first, ties by name), at most `max`, none below
  // `min_score`.
  std::vector<RenameCandidate> candidates(const std::string& old_symbol, size_t max = 5,
                                          int min_score = 20) const;

  // Every symbol OLD defines and NEW does not, in OLD's definition order.
  std::vector<std::string> vanished() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Name similarity in [0, 1]: 1 - edit distance / longer length.
double name_similarity(const std::string& a, const std::string& b);
// Word-set (Jaccard) similarity of two texts in [0, 1]; words are lower-cased
// runs of letters and digits of at least 3 characters.
double text_similarity(std::string_view a, std::string_view b);

}  // namespace kmeta::uprev
