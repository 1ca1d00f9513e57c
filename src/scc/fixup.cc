#include "scc/fixup.h"

#include <string_view>

namespace kmeta::scc {

std::string apply_fixup(const std::string& content, const std::string& opt, const std::string& val) {
  std::string out;
  out.reserve(content.size());
  size_t pos = 0;
  const std::string head = opt + "=";
  while (pos < content.size()) {
    size_t e = content.find('\n', pos);
    size_t end = e == std::string::npos ? content.size() : e;
    std::string_view line(content.data() + pos, end - pos);
    if (line.size() > head.size() && line.substr(0, head.size()) == head) {
      out += head;
      out += val;
      out.append(line.substr(head.size() + 1));
    } else {
      out.append(line);
    }
    if (e != std::string::npos) out += '\n';
    pos = end + 1;
  }
  return out;
}

}  // namespace kmeta::scc
