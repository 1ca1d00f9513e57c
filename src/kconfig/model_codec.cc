#include "kconfig/model_codec.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <type_traits>
#include <unordered_map>

namespace kmeta::kconfig {

void ByteWriter::u32(uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out_.append(b, 4);
  spill();
}
void ByteWriter::u64(uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out_.append(b, 8);
  spill();
}
void ByteWriter::str(std::string_view s) {
  u32(static_cast<uint32_t>(s.size()));
  raw(s);
}
void ByteWriter::raw(std::string_view s) {
  if (sink_ && out_.size() + s.size() >= (size_t{1} << 18)) {
    flush();
    if (s.size() >= (size_t{1} << 18)) {  // large: straight through
      sum_.update(s);
      sink_->write(s);
      flushed_ += s.size();
      return;
    }
  }
  out_.append(s);
}
void ByteWriter::start_checksum() {
  sum_.reset();
  sum_from_ = out_.size();
}
uint64_t ByteWriter::checksum() {
  sum_.update(std::string_view(out_).substr(sum_from_));
  sum_from_ = out_.size();
  return sum_.value();
}
bool ByteWriter::flush() {
  if (!sink_) return true;
  checksum();
  sum_from_ = 0;
  bool ok = sink_->write(out_);
  flushed_ += out_.size();
  out_.clear();
  return ok;
}

ByteReader::ByteReader(int fd, uint64_t size) : fd_(fd), left_(size) {}

bool ByteReader::ensure(size_t n) {
  if (in_.size() - pos_ >= n) return true;
  if (fd_ < 0 || remaining() < n) return fail();
  // Fold what was consumed into the checksum, keep the unread tail, refill.
  checksum();
  const size_t rest = in_.size() - pos_;
  consumed_ += pos_;
  size_t want = std::max<size_t>(n, size_t{1} << 18);
  if (want > rest + left_) want = static_cast<size_t>(rest + left_);
  if (want > cap_) {
    auto bigger = std::make_unique_for_overwrite<char[]>(want);
    if (rest) std::memcpy(bigger.get(), in_.data() + pos_, rest);
    buf_ = std::move(bigger);
    cap_ = want;
  } else if (rest) {
    std::memmove(buf_.get(), in_.data() + pos_, rest);
  }
  sum_done_ = 0;
  size_t have = rest;
  while (have < want) {
    ssize_t got = ::read(fd_, buf_.get() + have, want - have);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return fail();
    have += static_cast<size_t>(got);
    left_ -= static_cast<uint64_t>(got);
  }
  in_ = std::string_view(buf_.get(), want);
  pos_ = 0;
  return true;
}

uint64_t ByteReader::checksum() {
  if (fd_ < 0) return checksum64(in_.substr(0, pos_));
  sum_.update(in_.data() + sum_done_, pos_ - sum_done_);
  sum_done_ = pos_;
  return sum_.value();
}

bool ByteReader::bytes(uint64_t n, std::string* s) {
  if (n > remaining()) return fail();
  s->clear();
  s->reserve(n);
  while (n > 0) {
    size_t step = static_cast<size_t>(std::min<uint64_t>(n, size_t{1} << 18));
    if (!ensure(step)) return false;
    s->append(in_.substr(pos_, step));
    pos_ += step;
    n -= step;
  }
  return true;
}
bool ByteReader::count(uint32_t* n, size_t min_item) {
  if (!u32(n)) return false;
  if (min_item > 0 && *n > remaining() / min_item) return fail();
  return true;
}

namespace {
constexpr uint32_t kMagic = 0x4c444d4b;  // "KMDL"
constexpr uint32_t kFormat = 3;          // 3: XXH3-64 help checksum (was CRC-32)
}  // namespace

// Friend of Model: reads and writes its private tables.
class ModelCodec {
 public:
  static void encode(const Model& m, ByteWriter& out);
  static std::string_view help(const Model& m) { return m.help_text(); }
  static std::unique_ptr<Model> decode(ByteReader& r, std::string* error, const LazyHelp* lazy);

 private:
  struct Files {
    std::unordered_map<std::string_view, uint32_t> index;
    std::vector<std::string_view> names;
    uint32_t id(std::string_view f) {
      auto [it, fresh] = index.emplace(f, static_cast<uint32_t>(names.size()));
      if (fresh) names.push_back(f);
      return it->second;
    }
  };
};

void ModelCodec::encode(const Model& m, ByteWriter& out) {
  // Location file names are few (one per Kconfig file): a string table,
  // written first so that the decoder can share one FileName per file.
  Files files;
  for (const Property& p : m.props_) files.id(p.where.file.str());
  for (const MenuNode& n : m.nodes_) files.id(n.where.file.str());
  const std::string& help = m.help_text();
  // Roughly the encoded size, so that the buffer grows at most once.
  out.reserve(out.size() + 64 * m.symbols_.size() + 17 * m.exprs_.size() + 48 * m.props_.size() +
              56 * m.nodes_.size() + 64 * files.names.size());

  out.u32(kMagic);
  out.u32(kFormat);
  out.u32(static_cast<uint32_t>(files.names.size()));
  for (std::string_view f : files.names) out.str(f);

  auto loc = [&](const Location& l) {
    out.u32(files.id(l.file.str()));
    out.i32(l.line);
    out.i32(l.column);
  };
  // Ids are written as their index (kNone as UINT32_MAX).
  auto id = [&](auto x) { out.u32(x.index()); };
  auto ids = [&](const auto& v) {
    out.u32(static_cast<uint32_t>(v.size()));
    for (auto x : v) id(x);
  };

  out.u32(static_cast<uint32_t>(m.symbols_.size()));
  for (const Symbol& s : m.symbols_) {
    out.str(s.name);
    out.u8(static_cast<uint8_t>(s.type));
    out.u32(s.flags);
    id(s.dir_dep);
    id(s.rev_dep);
    id(s.implied);
    ids(s.props);
    ids(s.nodes);
    ids(s.members);
    id(s.choice);
  }
  out.u32(static_cast<uint32_t>(m.exprs_.size()));
  for (const Expr& e : m.exprs_) {
    out.u8(static_cast<uint8_t>(e.kind));
    id(e.left);
    id(e.right);
    id(e.sym);
    id(e.sym2);
  }
  out.u32(static_cast<uint32_t>(m.props_.size()));
  for (const Property& p : m.props_) {
    out.u8(static_cast<uint8_t>(p.kind));
    id(p.sym);
    id(p.node);
    out.str(p.text);
    id(p.expr);
    id(p.range_lo);
    id(p.range_hi);
    id(p.cond);
    loc(p.where);
    id(p.cond_parsed);
  }
  out.u32(static_cast<uint32_t>(m.nodes_.size()));
  for (NodeId i : m.nodes_.ids()) {
    const MenuNode& n = m.nodes_[i];
    out.u8(static_cast<uint8_t>(n.kind));
    id(n.sym);
    id(n.prompt);
    id(n.dep);
    id(n.visibility);
    out.u8(n.has_help ? 1 : 0);
    out.u32(n.help_at);
    out.u32(n.help_len);
    id(n.parent);
    id(n.first_child);
    id(n.next);
    loc(n.where);
    id(n.dep_parsed);
    out.u8(static_cast<uint8_t>(n.type_decl));
    id(m.last_child_[i]);
  }
  // Name tables, as ids (the key is the symbol's name).
  auto table = [&](const Model::NameMap& t) {
    std::vector<SymbolId> v;
    v.reserve(t.size());
    for (const auto& [name, sid] : t) v.push_back(sid);
    std::sort(v.begin(), v.end());
    ids(v);
  };
  table(m.by_name_);
  table(m.consts_);
  table(m.choices_);
  out.u8(static_cast<uint8_t>(m.dialect));
  id(m.modules_sym);
  out.str(m.mainmenu);
  out.u32(static_cast<uint32_t>(m.files.size()));
  for (const std::string& f : m.files) out.str(f);
  out.u32(static_cast<uint32_t>(m.env_used.size()));
  for (const auto& [k, v] : m.env_used) {
    out.str(k);
    out.str(v);
  }
  out.u32(static_cast<uint32_t>(m.env_unset.size()));
  for (const std::string& k : m.env_unset) out.str(k);
  // The help text follows the model part (encoded_help); its size and
  // checksum end the model part.
  out.u64(help.size());
  out.u64(checksum64(help));
}

std::unique_ptr<Model> ModelCodec::decode(ByteReader& r, std::string* error, const LazyHelp* lazy) {
  auto fail = [&](const char* what) -> std::unique_ptr<Model> {
    *error = std::string("model cache: ") + what + " (at byte " + std::to_string(r.pos()) + ")";
    return nullptr;
  };
  uint32_t magic = 0, format = 0;
  if (!r.u32(&magic) || magic != kMagic) return fail("not a kmeta model");
  if (!r.u32(&format) || format != kFormat) return fail("unknown format version");
  uint32_t nfiles;
  if (!r.count(&nfiles, 4)) return fail("truncated file table");
  std::vector<FileName> files(nfiles);
  for (FileName& f : files) {
    std::string s;
    if (!r.str(&s)) return fail("truncated file table");
    f = std::move(s);
  }

  auto m = std::make_unique<Model>();
  m->symbols_.clear();
  m->nodes_.clear();
  m->last_child_.clear();
  m->consts_.clear();

  bool ok = true;
  using R = ByteReader;
  auto ids = [&](auto* v) {
    using IdT = typename std::remove_pointer_t<decltype(v)>::value_type;
    uint32_t n = 0;
    ok = ok && r.count(&n, 4);
    if (!ok || n == 0) return;
    const unsigned char* p = r.take(size_t{4} * n);
    if (!p) {
      ok = false;
      return;
    }
    v->resize(n);
    for (uint32_t i = 0; i < n; ++i) (*v)[i] = IdT(R::le32(p + 4 * i));
  };
  // Fixed-size parts of a record: one bounds check, then plain loads.
  auto loc_at = [&](const unsigned char* p, Location* l) {
    uint32_t f = R::le32(p);
    l->line = static_cast<int32_t>(R::le32(p + 4));
    l->column = static_cast<int32_t>(R::le32(p + 8));
    if (f >= files.size()) return false;
    l->file = files[f];
    return true;
  };
  auto enum_at = [&](auto* e, uint8_t v, uint8_t max) {
    *e = static_cast<std::remove_pointer_t<decltype(e)>>(v);
    return v <= max;
  };
  auto u8_enum = [&](auto* e, uint8_t max) {
    uint8_t v = 0;
    ok = ok && r.u8(&v) && v <= max;
    *e = static_cast<std::remove_pointer_t<decltype(e)>>(v);
  };

  uint32_t nsym;
  if (!r.count(&nsym, 4 + 1 + 4 * 5 + 12 + 4) || nsym < 3) return fail("bad symbol table");
  m->symbols_.resize(nsym);
  for (Symbol& s : m->symbols_) {
    ok = ok && r.str(&s.name);
    const unsigned char* p = ok ? r.take(17) : nullptr;
    ok = p && enum_at(&s.type, p[0], static_cast<uint8_t>(SymbolType::string));
    if (!ok) return fail("bad symbol");
    s.flags = R::le32(p + 1);
    s.dir_dep = ExprId(R::le32(p + 5));
    s.rev_dep = ExprId(R::le32(p + 9));
    s.implied = ExprId(R::le32(p + 13));
    ids(&s.props);
    ids(&s.nodes);
    ids(&s.members);
    uint32_t choice = 0;
    ok = ok && r.u32(&choice);
    s.choice = SymbolId(choice);
    if (!ok) return fail("bad symbol");
  }
  uint32_t nexpr;
  if (!r.count(&nexpr, 17)) return fail("bad expression table");
  m->exprs_.resize(nexpr);
  for (Expr& e : m->exprs_) {
    const unsigned char* p = r.take(17);
    if (!p || !enum_at(&e.kind, p[0], static_cast<uint8_t>(ExprKind::sym_as_expr)))
      return fail("bad expression");
    e.left = ExprId(R::le32(p + 1));
    e.right = ExprId(R::le32(p + 5));
    e.sym = SymbolId(R::le32(p + 9));
    e.sym2 = SymbolId(R::le32(p + 13));
  }
  uint32_t nprop;
  if (!r.count(&nprop, 1 + 4 * 3 + 4 * 4 + 12 + 4)) return fail("bad property table");
  m->props_.resize(nprop);
  for (Property& p : m->props_) {
    const unsigned char* a = r.take(9);
    if (!a || !enum_at(&p.kind, a[0], static_cast<uint8_t>(PropKind::symbol))) return fail("bad property");
    p.sym = SymbolId(R::le32(a + 1));
    p.node = NodeId(R::le32(a + 5));
    const unsigned char* b = r.str(&p.text) ? r.take(32) : nullptr;
    if (!b) return fail("bad property");
    p.expr = ExprId(R::le32(b));
    p.range_lo = SymbolId(R::le32(b + 4));
    p.range_hi = SymbolId(R::le32(b + 8));
    p.cond = ExprId(R::le32(b + 12));
    if (!loc_at(b + 16, &p.where)) return fail("bad property");
    p.cond_parsed = ExprId(R::le32(b + 28));
  }
  uint32_t nnode;
  if (!r.count(&nnode, 1 + 4 * 4 + 1 + 8 + 4 * 3 + 12 + 4 + 1 + 4) || nnode < 1)
    return fail("bad node table");
  m->nodes_.resize(nnode);
  m->last_child_.resize(nnode);
  for (NodeId i : m->nodes_.ids()) {
    MenuNode& n = m->nodes_[i];
    // kind | sym prompt dep visibility | has_help | help_at help_len parent
    // first_child next | location | dep_parsed | type_decl | last child
    const unsigned char* p = r.take(59);
    if (!p || !enum_at(&n.kind, p[0], static_cast<uint8_t>(NodeKind::if_)) ||
        !enum_at(&n.type_decl, p[54], static_cast<uint8_t>(SymbolType::string)) || !loc_at(p + 38, &n.where))
      return fail("bad menu node");
    n.sym = SymbolId(R::le32(p + 1));
    n.prompt = PropId(R::le32(p + 5));
    n.dep = ExprId(R::le32(p + 9));
    n.visibility = ExprId(R::le32(p + 13));
    n.has_help = p[17] != 0;
    n.help_at = R::le32(p + 18);
    n.help_len = R::le32(p + 22);
    n.parent = NodeId(R::le32(p + 26));
    n.first_child = NodeId(R::le32(p + 30));
    n.next = NodeId(R::le32(p + 34));
    n.dep_parsed = ExprId(R::le32(p + 50));
    m->last_child_[i] = NodeId(R::le32(p + 55));
  }
  std::vector<SymbolId> by_name, consts, choices;
  ids(&by_name);
  ids(&consts);
  ids(&choices);
  u8_enum(&m->dialect, static_cast<uint8_t>(kLastDialect));
  uint32_t modules_sym = 0;
  ok = ok && r.u32(&modules_sym) && r.str(&m->mainmenu);
  m->modules_sym = SymbolId(modules_sym);
  if (!ok) return fail("bad trailer");
  uint32_t n = 0;
  if (!r.count(&n, 4)) return fail("bad file list");
  m->files.resize(n);
  for (std::string& f : m->files)
    if (!r.str(&f)) return fail("bad file list");
  if (!r.count(&n, 8)) return fail("bad environment list");
  m->env_used.resize(n);
  for (auto& [k, v] : m->env_used)
    if (!r.str(&k) || !r.str(&v)) return fail("bad environment list");
  if (!r.count(&n, 4)) return fail("bad environment list");
  m->env_unset.resize(n);
  for (std::string& k : m->env_unset)
    if (!r.str(&k)) return fail("bad environment list");
  uint64_t help_size = 0;
  uint64_t help_crc = 0;
  if (!r.u64(&help_size) || !r.u64(&help_crc)) return fail("bad help trailer");
  if (help_size != r.remaining_bytes())
    return fail(help_size < r.remaining_bytes() ? "trailing bytes" : "truncated help text");

  // --- every reference in range, expressions acyclic, the menu a tree ------
  auto sym_ok = [&](SymbolId id, bool none_ok) { return id.index() < nsym || (none_ok && id == kNone); };
  auto expr_ok = [&](ExprId id) { return id.index() < nexpr || id == kNone; };
  auto prop_ok = [&](PropId id, bool none_ok) { return id.index() < nprop || (none_ok && id == kNone); };
  auto node_ok = [&](NodeId id, bool none_ok) { return id.index() < nnode || (none_ok && id == kNone); };
  for (const Symbol& s : m->symbols_) {
    if (!expr_ok(s.dir_dep) || !expr_ok(s.rev_dep) || !expr_ok(s.implied) || !sym_ok(s.choice, true))
      return fail("symbol reference out of range");
    for (PropId p : s.props)
      if (!prop_ok(p, false)) return fail("symbol property out of range");
    for (NodeId x : s.nodes)
      if (!node_ok(x, false)) return fail("symbol node out of range");
    for (SymbolId x : s.members)
      if (!sym_ok(x, false)) return fail("choice member out of range");
  }
  for (ExprId i : m->exprs_.ids()) {
    const Expr& e = m->exprs_[i];
    // Hash-consing builds operands first: an operand is always older.
    bool lr = (e.left == kNone || e.left < i) && (e.right == kNone || e.right < i);
    if (!lr || !sym_ok(e.sym, true) || !sym_ok(e.sym2, true))
      return fail("expression reference out of range");
    bool shape_ok = true;
    switch (e.kind) {
      case ExprKind::and_:
      case ExprKind::or_: shape_ok = e.left != kNone && e.right != kNone; break;
      case ExprKind::not_: shape_ok = e.left != kNone; break;
      case ExprKind::symbol:
      case ExprKind::sym_as_expr: shape_ok = e.sym != kNone; break;
      default: shape_ok = e.sym != kNone && e.sym2 != kNone; break;
    }
    if (!shape_ok) return fail("malformed expression");
  }
  for (const Property& p : m->props_) {
    if (!sym_ok(p.sym, true) || !node_ok(p.node, true) || !expr_ok(p.expr) || !sym_ok(p.range_lo, true) ||
        !sym_ok(p.range_hi, true) || !expr_ok(p.cond) || !expr_ok(p.cond_parsed))
      return fail("property reference out of range");
  }
  for (NodeId i : m->nodes_.ids()) {
    const MenuNode& x = m->nodes_[i];
    bool has_sym = x.kind == NodeKind::config || x.kind == NodeKind::menuconfig || x.kind == NodeKind::choice;
    if (has_sym && x.sym == kNone) return fail("symbol node without a symbol");
    if (!sym_ok(x.sym, true) || !prop_ok(x.prompt, true) || !expr_ok(x.dep) || !expr_ok(x.visibility) ||
        !node_ok(x.parent, true) || !node_ok(x.first_child, true) || !node_ok(x.next, true) ||
        !expr_ok(x.dep_parsed) || !node_ok(m->last_child_[i], true))
      return fail("node reference out of range");
  }
  {
    // The first_child/next links from the root reach each node at most once.
    IdVec<NodeId, uint8_t> seen(nnode, 0);
    std::vector<NodeId> stack{m->root()};
    seen[m->root()] = 1;
    while (!stack.empty()) {
      NodeId id = stack.back();
      stack.pop_back();
      for (NodeId c = m->nodes_[id].first_child; c != kNone; c = m->nodes_[c].next) {
        if (seen[c]) return fail("menu links are not a tree");
        seen[c] = 1;
        stack.push_back(c);
      }
    }
  }
  for (SymbolId t : {kSymYes, kSymMod, kSymNo})
    if (m->symbols_[t].name != std::string(1, "ymn"[t.index()])) return fail("constants y/m/n missing");
  if (!sym_ok(m->modules_sym, false)) return fail("modules symbol out of range");
  m->by_name_.reserve(by_name.size());
  m->consts_.reserve(consts.size());
  for (SymbolId id : by_name)
    if (!sym_ok(id, false) || !m->by_name_.emplace(m->symbols_[id].name, id).second)
      return fail("bad name table");
  for (SymbolId id : consts)
    if (!sym_ok(id, false) || !m->consts_.emplace(m->symbols_[id].name, id).second)
      return fail("bad name table");
  for (SymbolId id : choices)
    if (!sym_ok(id, false) || !m->choices_.emplace(m->symbols_[id].name, id).second)
      return fail("bad name table");
  for (const MenuNode& x : m->nodes_)
    if (x.help_at > help_size || x.help_len > help_size - x.help_at) return fail("help text out of range");

  // --- the help text: now, or from the file on first use ---
  Model::HelpText& h = *m->help_;
  if (!lazy) {
    std::string text;
    if (!r.bytes(help_size, &text)) return fail("truncated help text");
    if (checksum64(text) != help_crc) return fail("help text checksum mismatch");
    h.text = std::move(text);
  } else if (help_size > 0) {
    int dup = ::fcntl(lazy->fd, F_DUPFD_CLOEXEC, 0);
    if (dup < 0) return fail("cannot keep the file open");
    auto fd = std::shared_ptr<int>(new int(dup), [](int* p) {
      ::close(*p);
      delete p;
    });
    h.load = [fd, offset = lazy->base + r.pos(), help_size, help_crc](std::string* text) {
      text->resize(help_size);
      uint64_t have = 0;
      while (have < help_size) {
        ssize_t got = ::pread(*fd, text->data() + have, help_size - have, static_cast<off_t>(offset + have));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        have += static_cast<uint64_t>(got);
      }
      return checksum64(*text) == help_crc;
    };
  }
  // The hash-consing index is rebuilt by the first cons() that needs it.
  return m;
}

void encode_model(const Model& m, ByteWriter& out) { ModelCodec::encode(m, out); }
std::string_view encoded_help(const Model& m) { return ModelCodec::help(m); }
std::string encode_model(const Model& m) {
  ByteWriter w;
  ModelCodec::encode(m, w);
  w.raw(ModelCodec::help(m));
  return std::move(w.bytes());
}
std::unique_ptr<Model> decode_model(std::string_view bytes, std::string* error) {
  ByteReader r(bytes);
  return ModelCodec::decode(r, error, nullptr);
}
std::unique_ptr<Model> decode_model(ByteReader& in, std::string* error, const LazyHelp& help) {
  return ModelCodec::decode(in, error, &help);
}

}  // namespace kmeta::kconfig
