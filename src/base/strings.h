// Small string helpers: splitting, trimming and "did you mean" suggestions.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace kmeta {

std::vector<std::string_view> split(std::string_view s, char sep);
std::vector<std::string_view> split_lines(std::string_view s);  // drops one trailing '\n'
std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
// What `echo $X` prints in sh (less the newline): the words of `s`, split on
// blanks, tabs and newlines, joined by one space.
std::string echo_words(std::string_view s);

// The parts joined in one allocation: str_cat({dir, "/", name}) for the
// `dir + "/" + name` that would build a temporary per `+`.
std::string str_cat(std::initializer_list<std::string_view> parts);

// Levenshtein distance, with an early cut-off: returns max+1 once the distance
// is known to exceed `max`.
size_t edit_distance(std::string_view a, std::string_view b, size_t max = 1000);

// The candidate closest to `word` by edit distance, if it is close enough to be
// a plausible typo (distance ≤ max(1, word.size()/3)); empty otherwise. Ties go
// to the first candidate.
std::string suggest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace kmeta
