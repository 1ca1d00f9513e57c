#include "scc/ast.h"

namespace kmeta::scc {

const char* to_string(StmtKind k) {
  switch (k) {
    case StmtKind::include: return "include";
    case StmtKind::kconf: return "kconf";
    case StmtKind::patch: return "patch";
    case StmtKind::define: return "define";
    case StmtKind::branch: return "branch";
    case StmtKind::git: return "git";
    case StmtKind::tag: return "tag";
    case StmtKind::merge: return "merge";
    case StmtKind::mark: return "mark";
    case StmtKind::set_kernel_version: return "set_kernel_version";
    case StmtKind::if_block: return "if";
  }
  return "?";
}

static void print_stmt(const Stmt& s, int indent, std::string* out) {
  std::string pad(static_cast<size_t>(indent) * 2, ' ');
  switch (s.kind) {
    case StmtKind::include:
      *out += pad + "include " + s.path;
      for (const auto& e : s.extra) *out += " " + e;
      *out += "\n";
      return;
    case StmtKind::kconf:
      *out += pad + (s.force ? "force kconf " : "kconf ") + s.kconf_class + " " + s.path;
      if (!s.kconf_flags.empty()) *out += " " + s.kconf_flags;
      *out += "\n";
      return;
    case StmtKind::patch: *out += pad + "patch " + s.path + "\n"; return;
    case StmtKind::if_block:
      for (size_t i = 0; i < s.arms.size(); ++i) {
        *out += pad + (i == 0 ? "if " : "elif ") + s.arms[i].cond.source + "; then\n";
        *out += print_block(s.arms[i].body, indent + 1);
      }
      if (s.has_else) {
        *out += pad + "else\n";
        *out += print_block(s.else_body, indent + 1);
      }
      *out += pad + "fi\n";
      return;
    default:
      *out += pad + to_string(s.kind);
      for (const auto& w : s.args) *out += " " + w.raw;
      *out += "\n";
      return;
  }
}

std::string print_block(const Block& b, int indent) {
  std::string out;
  for (const auto& s : b) print_stmt(s, indent, &out);
  return out;
}

}  // namespace kmeta::scc
