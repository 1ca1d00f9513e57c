// Identities and dates as git writes them into commits: git's date parser for
// the forms patches and the bbclass use (RFC 2822 "Tue, 3 Jul 2012 13:07:23
// -0500", date(1)'s "Tue Nov 14 22:13:20 UTC 2023", ISO 8601, "@<epoch>
// [<tz>]", a bare epoch), and git's clean-up of names and emails ("crud" at
// both ends removed; '<', '>' and newlines dropped).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kmeta::tree {

struct GitTime {
  int64_t seconds = 0;     // since the epoch, UTC
  int offset_minutes = 0;  // the timezone as written (-0500 = -300)
  friend bool operator==(const GitTime&, const GitTime&) = default;
};

// Parses a date the way git's parse_date does for these forms; nullopt when
// git would call it an invalid date format.
std::optional<GitTime> parse_git_date(std::string_view text);

// git's ident clean-up (ident.c strbuf_addstr_without_crud).
std::string strip_crud(std::string_view s);

// "+hhmm" / "-hhmm" of an offset.
std::string format_offset(int offset_minutes);

}  // namespace kmeta::tree
