#include "base/file_name.h"

#include <ostream>

namespace kmeta {

const std::string& FileName::empty_string() {
  static const std::string empty;
  return empty;
}

std::ostream& operator<<(std::ostream& os, const FileName& f) { return os << f.str(); }

}  // namespace kmeta
