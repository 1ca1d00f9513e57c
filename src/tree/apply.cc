#include "tree/apply.h"

#include <fmt/format.h>
#include <git2/odb.h>
#include <git2/oid.h>

#include <map>

namespace kmeta::tree {

namespace {

struct ImgLine {
  std::string_view text;
  size_t hash;
  bool patched;
};

size_t line_hash(std::string_view s) { return std::hash<std::string_view>{}(s); }

std::vector<ImgLine> split_image(std::string_view content) {
  std::vector<ImgLine> img;
  size_t at = 0;
  while (at < content.size()) {
    size_t nl = content.find('\n', at);
    size_t end = nl == std::string_view::npos ? content.size() : nl + 1;
    std::string_view l = content.substr(at, end - at);
    img.push_back({l, line_hash(l), false});
    at = end;
  }
  return img;
}

struct Preimage {
  std::vector<std::string_view> lines;
  std::vector<size_t> hashes;
};

bool match_at(const std::vector<ImgLine>& img, const Preimage& pre, size_t b, size_t e, long cur, bool mb,
              bool me) {
  long n = long(img.size());
  long pn = long(e - b);
  if (pn + cur <= n) {
    if (me && pn + cur != n) return false;
  } else {
    return false;
  }
  if (mb && cur) return false;
  for (long i = 0; i < pn; ++i) {
    const ImgLine& il = img[size_t(cur + i)];
    if (il.patched || il.hash != pre.hashes[b + size_t(i)] || il.text != pre.lines[b + size_t(i)])
      return false;
  }
  return true;
}

// git's find_pos: from `line`, then +1, -1, +2, -2, ... over the whole image.
long find_pos(const std::vector<ImgLine>& img, const Preimage& pre, size_t b, size_t e, long line, bool mb,
              bool me) {
  long n = long(img.size());
  long pn = long(e - b);
  if (pn > n) return -1;
  if (mb)
    line = 0;
  else if (me)
    line = n - pn;
  if (line < 0 || line > n) line = n;
  long back = line, fwd = line, cur = line;
  for (long i = 0;; ++i) {
    if (match_at(img, pre, b, e, cur, mb, me)) return cur;
    for (;;) {
      if (back == 0 && fwd == n) return -1;
      if (i & 1) {
        if (back == 0) {
          ++i;
          continue;
        }
        --back;
        cur = back;
      } else {
        if (fwd == n) {
          ++i;
          continue;
        }
        ++fwd;
        cur = fwd;
      }
      break;
    }
  }
}

// The most similar place for a hunk that did not apply.
void nearest(const std::vector<ImgLine>& img, const Preimage& pre, long expected, HunkResult* r) {
  long n = long(img.size());
  long pn = long(pre.lines.size());
  r->preimage_lines = int(pn);
  if (pn == 0 || n == 0 || double(n) * double(pn) > 5e7) return;
  long best = -1, best_score = 0;
  for (long cur = 0; cur < n; ++cur) {
    long score = 0;
    for (long i = 0; i < pn && cur + i < n; ++i)
      if (img[size_t(cur + i)].hash == pre.hashes[size_t(i)] &&
          img[size_t(cur + i)].text == pre.lines[size_t(i)])
        ++score;
    if (score > best_score ||
        (score == best_score && best >= 0 && std::labs(cur - expected) < std::labs(best - expected))) {
      best_score = score;
      best = cur;
    }
  }
  if (best < 0) return;
  r->nearest_at = best + 1;
  r->nearest_matched = int(best_score);
  for (long i = 0; i < pn; ++i) {
    if (best + i >= n) {
      r->expected_line = std::string(pre.lines[size_t(i)]);
      r->found_line.clear();
      return;
    }
    std::string_view have = img[size_t(best + i)].text;
    if (have != pre.lines[size_t(i)]) {
      r->expected_line = std::string(pre.lines[size_t(i)]);
      r->found_line = std::string(have);
      return;
    }
  }
}

bool apply_one(std::vector<ImgLine>& img, const Hunk& h, int nth, const ApplyOptions& opts, HunkResult* r) {
  Preimage pre;
  std::vector<std::string_view> post;
  for (const HunkLine& l : h.lines) {
    if (l.op != '+') {
      pre.lines.push_back(l.text);
      pre.hashes.push_back(line_hash(l.text));
    }
    if (l.op != '-') post.push_back(l.text);
  }
  r->number = nth;
  int leading = h.leading, trailing = h.trailing;
  bool mb = h.old_start == 0 || h.old_start == 1;
  bool me = trailing == 0;
  long pos = h.new_start ? h.new_start - 1 : 0;
  size_t pb = 0, pe = pre.lines.size(), qb = 0, qe = post.size();
  long applied = -1;
  unsigned limit = opts.context < 0 ? ~0u : unsigned(opts.context);
  for (;;) {
    applied = find_pos(img, pre, pb, pe, pos, mb, me);
    if (applied >= 0) break;
    if (unsigned(leading) <= limit && unsigned(trailing) <= limit) break;
    if (mb || me) {
      mb = me = false;
      r->anchor_dropped = true;
      continue;
    }
    if (leading >= trailing) {
      ++pb;
      ++qb;
      --pos;
      --leading;
    }
    if (trailing > leading) {
      --pe;
      --qe;
      --trailing;
    }
  }
  r->leading = leading;
  r->trailing = trailing;
  r->context_reduced = leading != h.leading || trailing != h.trailing;
  r->expected = pos + 1;
  if (applied < 0) {
    r->applied = false;
    r->anchor_dropped = false;
    r->context_reduced = false;
    r->leading = h.leading;
    r->trailing = h.trailing;
    r->expected = (h.new_start ? h.new_start - 1 : 0) + 1;
    nearest(img, pre, r->expected - 1, r);
    return false;
  }
  r->applied = true;
  r->at = applied + 1;
  r->offset = applied - pos;
  std::vector<ImgLine> repl;
  repl.reserve(qe - qb);
  for (size_t i = qb; i < qe; ++i) repl.push_back({post[i], line_hash(post[i]), true});
  img.erase(img.begin() + applied, img.begin() + applied + long(pe - pb));
  img.insert(img.begin() + applied, repl.begin(), repl.end());
  return true;
}

std::string join(const std::vector<ImgLine>& img) {
  size_t n = 0;
  for (const ImgLine& l : img) n += l.text.size();
  std::string out;
  out.reserve(n);
  for (const ImgLine& l : img) out.append(l.text);
  return out;
}

bool is_hex40(const std::string& s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

uint64_t delta_varint(std::string_view d, size_t* i, bool* ok) {
  uint64_t v = 0;
  int shift = 0;
  while (true) {
    if (*i >= d.size() || shift > 56) {
      *ok = false;
      return 0;
    }
    uint8_t c = uint8_t(d[(*i)++]);
    v |= uint64_t(c & 0x7f) << shift;
    shift += 7;
    if (!(c & 0x80)) return v;
  }
}

}  // namespace

uint32_t canonical_mode(uint32_t mode) {
  switch (mode & 0170000) {
    case 0120000: return 0120000;
    case 0160000: return 0160000;
    case 0040000: return 0040000;
    default: return (mode & 0111) ? 0100755 : 0100644;
  }
}

std::string blob_id(std::string_view content) {
  git_oid oid;
  git_odb_hash(&oid, content.data(), content.size(), GIT_OBJECT_BLOB);
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

bool apply_delta(std::string_view base, std::string_view delta, std::string* out) {
  size_t i = 0;
  bool ok = true;
  uint64_t src = delta_varint(delta, &i, &ok);
  uint64_t dst = delta_varint(delta, &i, &ok);
  if (!ok || src != base.size()) return false;
  out->clear();
  out->reserve(size_t(dst));
  while (i < delta.size()) {
    uint8_t c = uint8_t(delta[i++]);
    if (c & 0x80) {
      uint64_t off = 0, size = 0;
      for (int k = 0; k < 4; ++k)
        if (c & (1 << k)) {
          if (i >= delta.size()) return false;
          off |= uint64_t(uint8_t(delta[i++])) << (8 * k);
        }
      for (int k = 0; k < 3; ++k)
        if (c & (0x10 << k)) {
          if (i >= delta.size()) return false;
          size |= uint64_t(uint8_t(delta[i++])) << (8 * k);
        }
      if (size == 0) size = 0x10000;
      if (off + size > base.size() || off + size < off) return false;
      out->append(base.substr(size_t(off), size_t(size)));
    } else if (c) {
      if (i + c > delta.size()) return false;
      out->append(delta.substr(i, c));
      i += c;
    } else {
      return false;
    }
    if (out->size() > dst) return false;
  }
  return out->size() == dst;
}

bool apply_hunks(std::string_view content, const FilePatch& fp, const ApplyOptions& opts, std::string* out,
                 std::vector<HunkResult>* results) {
  std::vector<ImgLine> img = split_image(content);
  int nth = 0;
  for (const Hunk& h : fp.hunks) {
    HunkResult r;
    bool ok = apply_one(img, h, ++nth, opts, &r);
    results->push_back(std::move(r));
    if (!ok) return false;
  }
  *out = join(img);
  return true;
}

ApplyResult apply_patch(const Patch& patch, const FileSource& src, const ApplyOptions& opts) {
  ApplyResult res;
  std::map<std::string, std::optional<FileEntry>> local;  // results of earlier file patches
  auto lookup = [&](const std::string& path) -> std::optional<FileEntry> {
    auto it = local.find(path);
    if (it != local.end()) return it->second;
    return src.read ? src.read(path) : std::nullopt;
  };
  res.ok = true;
  for (const FilePatch& fp : patch.files) {
    FileResult fr;
    fr.path = fp.path();
    auto fail = [&](FileResult::Status st, std::string msg) {
      fr.status = st;
      fr.message = std::move(msg);
      res.ok = false;
    };
    std::optional<FileEntry> old;
    if (fp.is_new) {
      if (lookup(fp.new_path))
        fail(FileResult::already_exists, fmt::format("{}: already exists in index", fp.new_path));
    } else {
      old = lookup(fp.old_path);
      if (!old)
        fail(FileResult::missing, fmt::format("{}: does not exist in index", fp.old_path));
      else if ((fp.is_rename || fp.is_copy) && lookup(fp.new_path))
        fail(FileResult::already_exists, fmt::format("{}: already exists in index", fp.new_path));
    }
    std::string result;
    if (fr.status == FileResult::ok) {
      std::string_view base = old ? std::string_view(old->content) : std::string_view();
      if (fp.is_binary) {
        if (!is_hex40(fp.old_oid) || !is_hex40(fp.new_oid)) {
          fail(FileResult::binary_error,
               fmt::format("cannot apply binary patch to '{}' without full index line", fr.path));
        } else if (!fp.is_new && blob_id(base) != fp.old_oid) {
          fail(FileResult::binary_error,
               fmt::format("the patch applies to '{}' ({}), which does not match the current contents.",
                           fr.path, fp.old_oid));
        } else if (fp.is_new && !base.empty()) {
          fail(FileResult::binary_error,
               fmt::format("the patch applies to an empty '{}' but it is not empty", fr.path));
        } else if (fp.new_oid == std::string(40, '0')) {
          result.clear();
        } else if (auto known = src.blob ? src.blob(fp.new_oid) : std::nullopt) {
          result = std::move(*known);
        } else if (!fp.binary) {
          fail(FileResult::binary_error,
               fmt::format("cannot apply binary patch to '{}' without full index line", fr.path));
        } else {
          bool ok = fp.binary->method == BinaryHunk::literal ? (result = fp.binary->data, true)
                                                             : apply_delta(base, fp.binary->data, &result);
          if (!ok)
            fail(FileResult::binary_error, fmt::format("binary patch does not apply to '{}'", fr.path));
          else if (blob_id(result) != fp.new_oid)
            fail(FileResult::binary_error,
                 fmt::format("binary patch to '{}' creates incorrect result (expecting {}, got {})", fr.path,
                             fp.new_oid, blob_id(result)));
        }
      } else if (!apply_hunks(base, fp, opts, &result, &fr.hunks)) {
        fail(FileResult::conflict,
             fmt::format("patch failed: {}:{}", fp.old_path.empty() ? fp.new_path : fp.old_path,
                         fp.hunks[fr.hunks.size() - 1].old_start));
      } else if (fp.is_delete && !result.empty()) {
        fail(FileResult::not_empty, fmt::format("removal patch leaves file contents"));
      }
    }
    if (fr.status == FileResult::ok) {
      if (fp.is_delete) {
        local[fp.old_path] = std::nullopt;
        res.changes.push_back({fp.old_path, std::nullopt});
      } else {
        uint32_t mode = fp.new_mode ? canonical_mode(fp.new_mode) : old ? old->mode : 0100644;
        if (fp.is_rename) {
          local[fp.old_path] = std::nullopt;
          res.changes.push_back({fp.old_path, std::nullopt});
        }
        FileEntry e{std::move(result), mode};
        local[fp.new_path] = e;
        res.changes.push_back({fp.new_path, std::move(e)});
      }
    }
    res.files.push_back(std::move(fr));
  }
  if (!res.ok) res.changes.clear();
  return res;
}

std::vector<std::string> verbose_lines(const FileResult& fr) {
  std::vector<std::string> out;
  for (const HunkResult& h : fr.hunks) {
    if (!h.applied) continue;
    if (h.offset != 0)
      out.push_back(fmt::format("Hunk #{} succeeded at {} (offset {} line{}).", h.number, h.at, h.offset,
                                h.offset == 1 ? "" : "s"));
    if (h.context_reduced)
      out.push_back(
          fmt::format("Context reduced to ({}/{}) to apply fragment at {}", h.leading, h.trailing, h.at));
  }
  return out;
}

}  // namespace kmeta::tree
