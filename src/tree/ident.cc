#include "tree/ident.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

namespace kmeta::tree {

namespace {

bool is_crud(unsigned char c) {
  return c <= 32 || c == '.' || c == ',' || c == ':' || c == ';' || c == '<' || c == '>' || c == '"' ||
         c == '\\' || c == '\'';
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

int month_of(std::string_view w) {
  static const char* names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() < 3) return 0;
  for (int i = 0; i < 12; ++i)
    if (w.substr(0, 3) == names[i]) return i + 1;
  return 0;
}

bool is_weekday(std::string_view w) {
  static const char* names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  if (w.size() < 3) return false;
  for (const char* n : names)
    if (w.substr(0, 3) == n) return true;
  return false;
}

}  // namespace

std::string strip_crud(std::string_view s) {
  while (!s.empty() && is_crud(uint8_t(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_crud(uint8_t(s.back()))) s.remove_suffix(1);
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != '\n' && c != '<' && c != '>') out.push_back(c);
  return out;
}

std::string format_offset(int offset_minutes) {
  int a = std::abs(offset_minutes);
  return fmt::format("{}{:02}{:02}", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
}

std::optional<GitTime> parse_git_date(std::string_view text) {
  // "@<seconds> <tz>" (git's raw form) and a bare "<seconds> <tz>".
  std::string_view t = text;
  while (!t.empty() && std::isspace(uint8_t(t.front()))) t.remove_prefix(1);
  while (!t.empty() && std::isspace(uint8_t(t.back()))) t.remove_suffix(1);
  if (t.empty()) return std::nullopt;
  int year = -1, month = -1, day = -1, hour = -1, minute = -1, second = -1;
  bool have_tz = false;
  int tz = 0;
  std::optional<int64_t> epoch;
  size_t i = 0;
  if (t[0] == '@') ++i;
  while (i < t.size()) {
    unsigned char c = uint8_t(t[i]);
    if (std::isalpha(c)) {
      size_t j = i;
      std::string w;
      while (j < t.size() && std::isalpha(uint8_t(t[j]))) w.push_back(char(std::tolower(uint8_t(t[j++]))));
      if (int m = month_of(w); m && month < 0) {
        month = m;
      } else if (is_weekday(w)) {
      } else if (w == "utc" || w == "gmt" || w == "ut" || w == "z") {
        if (!have_tz) {
          have_tz = true;
          tz = 0;
        }
      } else if (w == "pm" && hour >= 0 && hour < 12) {
        hour += 12;
      } else if (w == "am" && hour == 12) {
        hour = 0;
      }
      i = j;
      continue;
    }
    if ((c == '+' || c == '-') && i + 1 < t.size() && std::isdigit(uint8_t(t[i + 1])) &&
        (hour >= 0 || epoch || year >= 0)) {
      size_t j = i + 1;
      std::string digits;
      while (j < t.size() && (std::isdigit(uint8_t(t[j])) || t[j] == ':')) {
        if (t[j] != ':') digits.push_back(t[j]);
        ++j;
      }
      int hh = 0, mm = 0;
      if (digits.size() <= 2)
        hh = std::atoi(digits.c_str());
      else if (digits.size() == 4) {
        hh = std::atoi(digits.substr(0, 2).c_str());
        mm = std::atoi(digits.substr(2).c_str());
      } else {
        return std::nullopt;
      }
      if (hh > 24 || mm > 59) return std::nullopt;
      tz = (c == '-' ? -1 : 1) * (hh * 60 + mm);
      have_tz = true;
      i = j;
      continue;
    }
    if (std::isdigit(c)) {
      size_t j = i;
      while (j < t.size() && std::isdigit(uint8_t(t[j]))) ++j;
      std::string_view num = t.substr(i, j - i);
      long v = std::atol(std::string(num).c_str());
      if (j < t.size() && t[j] == ':') {  // hh:mm[:ss]
        hour = int(v);
        size_t k = j + 1;
        size_t s0 = k;
        while (k < t.size() && std::isdigit(uint8_t(t[k]))) ++k;
        if (k == s0) return std::nullopt;
        minute = std::atoi(std::string(t.substr(s0, k - s0)).c_str());
        second = 0;
        if (k < t.size() && t[k] == ':') {
          size_t s1 = ++k;
          while (k < t.size() && std::isdigit(uint8_t(t[k]))) ++k;
          second = std::atoi(std::string(t.substr(s1, k - s1)).c_str());
        }
        if (k < t.size() && t[k] == '.') {  // fractional seconds
          ++k;
          while (k < t.size() && std::isdigit(uint8_t(t[k]))) ++k;
        }
        if (hour > 24 || minute > 59 || second > 60) return std::nullopt;
        i = k;
        continue;
      }
      if (j < t.size() && t[j] == '-' && num.size() == 4) {  // yyyy-mm-dd
        size_t k = j + 1, s0 = k;
        while (k < t.size() && std::isdigit(uint8_t(t[k]))) ++k;
        if (k == s0 || k >= t.size() || t[k] != '-') return std::nullopt;
        int mo = std::atoi(std::string(t.substr(s0, k - s0)).c_str());
        size_t s1 = ++k;
        while (k < t.size() && std::isdigit(uint8_t(t[k]))) ++k;
        if (k == s1) return std::nullopt;
        year = int(v);
        month = mo;
        day = std::atoi(std::string(t.substr(s1, k - s1)).c_str());
        if (k < t.size() && (t[k] == 'T' || t[k] == 't')) ++k;
        i = k;
        continue;
      }
      if (num.size() >= 9 && year < 0 && month < 0 && day < 0 && hour < 0) {
        epoch = v;
      } else if (num.size() == 4 && year < 0) {
        year = int(v);
      } else if (day < 0 && v >= 1 && v <= 31) {
        day = int(v);
      } else if (year < 0 && num.size() == 2) {
        year = int(v) + (v < 70 ? 2000 : 1900);
      } else {
        return std::nullopt;
      }
      i = j;
      continue;
    }
    ++i;  // punctuation and blanks
  }
  GitTime gt;
  gt.offset_minutes = have_tz ? tz : 0;
  if (epoch) {
    gt.seconds = *epoch;
    return gt;
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0) return std::nullopt;
  int64_t days = days_from_civil(year, unsigned(month), unsigned(day));
  gt.seconds = days * 86400 + int64_t(hour) * 3600 + minute * 60 + second - int64_t(gt.offset_minutes) * 60;
  return gt;
}

}  // namespace kmeta::tree
