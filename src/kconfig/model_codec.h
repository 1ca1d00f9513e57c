// A Model as bytes and back: the storage format of the parsed-model cache
// (model_cache.h).
//
// The encoding is exact: decode(encode(m)) has the same symbols, expressions,
// properties, nodes and name tables with the same ids, so evaluation, writers
// and printers give the same bytes as on the freshly parsed model. It is
// little-endian, versioned (kFormat) and not meant to be read by anything but
// this file.
//
// decode() never reads out of bounds, loops or over-allocates on any input:
// every count is bounded by the bytes left, every id is range-checked,
// expressions refer to older expressions only and the menu links form a
// tree. It does not re-prove every invariant the parser establishes (that a
// property's node defines its symbol, say): the model cache guards its files
// with a checksum, so what reaches decode() is what encode() wrote.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/checksum.h"
#include "base/file_util.h"
#include "kconfig/model.h"

namespace kmeta::kconfig {

class ByteWriter;
class ByteReader;

// An encoding has two parts: the model (which ends with the size and
// checksum (base/checksum.h) of the help text) and then the help text itself (Model::help), so that a
// reader can leave the help text in the file until it is asked for.
std::string encode_model(const Model& m);            // both parts
void encode_model(const Model& m, ByteWriter& out);  // appends the model part
std::string_view encoded_help(const Model& m);       // the help part
// nullptr (and *error) when `bytes` is not a valid encoding (both parts).
std::unique_ptr<Model> decode_model(std::string_view bytes, std::string* error);

// Little-endian scalar and string (de)serialization shared by the codec and
// the model cache's file format.
// Into memory (bytes()), or streamed into an AtomicFile through a small
// buffer (so that a large model is never held twice).
class ByteWriter {
 public:
  ByteWriter() = default;
  explicit ByteWriter(AtomicFile* sink) : sink_(sink) {}
  void u8(uint8_t v) {
    out_.push_back(static_cast<char>(v));
    spill();
  }
  void u32(uint32_t v);
  void i32(int32_t v) { u32(static_cast<uint32_t>(v)); }
  void u64(uint64_t v);
  void str(std::string_view s);
  void raw(std::string_view s);
  std::string& bytes() { return out_; }  // in memory: everything written
  uint64_t size() const { return flushed_ + out_.size(); }
  void reserve(size_t n) {
    if (!sink_) out_.reserve(n);
  }
  // The checksum64 (base/checksum.h) of every byte written since the last
  // start_checksum().
  void start_checksum();
  uint64_t checksum();
  // Streamed: writes out the buffer; false once the sink has failed.
  bool flush();

 private:
  void spill() {
    if (sink_ && out_.size() >= (size_t{1} << 18)) flush();
  }
  std::string out_;
  AtomicFile* sink_ = nullptr;
  uint64_t flushed_ = 0;
  Checksum sum_;         // over the bytes since start_checksum() before sum_from_
  size_t sum_from_ = 0;  // where in out_ the unfolded bytes begin
};

// Reads what ByteWriter wrote: from memory, or streamed from a file
// descriptor through a small buffer (so a large cache file is never held
// whole in memory while the model it encodes is built).
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  // Streams exactly `size` bytes from `fd` (not closed); a short file reads
  // as truncated. checksum() is the checksum64 of every byte consumed so far.
  ByteReader(int fd, uint64_t size);
  // Each returns false (and stays false) once the input is exhausted.
  bool u8(uint8_t* v) {
    if (pos_ == in_.size() && !ensure(1)) return false;
    *v = static_cast<uint8_t>(in_[pos_++]);
    return true;
  }
  bool u32(uint32_t* v) {
    if (in_.size() - pos_ < 4 && !ensure(4)) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data() + pos_);
    *v = uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
    pos_ += 4;
    return true;
  }
  bool i32(int32_t* v) {
    uint32_t u;
    if (!u32(&u)) return false;
    *v = static_cast<int32_t>(u);
    return true;
  }
  bool u64(uint64_t* v) {
    if (in_.size() - pos_ < 8 && !ensure(8)) return false;
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data() + pos_);
    uint64_t r = 0;
    for (int i = 0; i < 8; ++i) r |= uint64_t{p[i]} << (8 * i);
    pos_ += 8;
    *v = r;
    return true;
  }
  bool str(std::string* s) {
    uint32_t n;
    if (!u32(&n) || (in_.size() - pos_ < n && !ensure(n))) return false;
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  // The next n bytes, consumed (valid until the next read), or nullptr (and
  // exhausted) when fewer are left: one bounds check for a fixed-size record.
  const unsigned char* take(size_t n) {
    if (in_.size() - pos_ < n && !ensure(n)) return nullptr;
    const auto* p = reinterpret_cast<const unsigned char*>(in_.data() + pos_);
    pos_ += n;
    return p;
  }
  static uint32_t le32(const unsigned char* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  }
  bool bytes(uint64_t n, std::string* s);  // exactly n raw bytes
  // A count that cannot exceed the bytes left (each item takes >= min_item bytes).
  bool count(uint32_t* n, size_t min_item);
  bool at_end() { return remaining() == 0; }
  uint64_t remaining_bytes() const { return remaining(); }
  uint64_t pos() const { return consumed_ + pos_; }
  uint64_t checksum();

 private:
  uint64_t remaining() const { return (in_.size() - pos_) + left_; }
  bool ensure(size_t n);  // n bytes readable at pos_ (refills from the fd)
  bool fail() {
    in_ = {};
    pos_ = 0;
    left_ = 0;
    sum_done_ = 0;
    return false;
  }

  std::string_view in_;
  size_t pos_ = 0;
  int fd_ = -1;
  uint64_t left_ = 0;            // bytes still in the file
  uint64_t consumed_ = 0;        // bytes dropped from the front of the buffer
  std::unique_ptr<char[]> buf_;  // uninitialized: read() fills it
  size_t cap_ = 0;
  Checksum sum_;
  size_t sum_done_ = 0;  // buffer bytes (all consumed) already in sum_
};

// decode_model from a reader over a file, positioned at an encoding that ends
// the file. The model part is read now; the help part (in `fd`, where the
// reader's byte 0 is at file offset `base`) is read through a duplicate of `fd` (kept by
// the model) when the first help text is asked for, and must then still
// match its checksum (else every text reads as ""). The reader stops before
// the help part: its checksum() covers the model part only.
struct LazyHelp {
  int fd = -1;
  uint64_t base = 0;
};
std::unique_ptr<Model> decode_model(ByteReader& in, std::string* error, const LazyHelp& help);

}  // namespace kmeta::kconfig
