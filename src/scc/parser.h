// Recursive-descent parser for one .scc file (docs/scc-language.md).
//
// parse_scc never fails hard: it returns the statements it could make sense
// of and reports every problem, located, in ParsedFile::diags. Warnings are
// the lint findings that need only the file itself (unknown kconf classes,
// keyword prefixes such as `kconfig`, ignored words).
#pragma once

#include <memory>
#include <string>

#include "scc/ast.h"

namespace kmeta::scc {

std::unique_ptr<ParsedFile> parse_scc(std::string path, std::shared_ptr<const std::string> content);

// The kconf classes with a meaning (hardware, non-hardware, required, optional).
bool is_known_kconf_class(std::string_view c);
const std::vector<std::string>& known_kconf_classes();
// The statement keywords of the language, for suggestions.
const std::vector<std::string>& scc_keywords();

}  // namespace kmeta::scc
