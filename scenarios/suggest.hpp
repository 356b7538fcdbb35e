#pragma once
// "Did you mean ...?" for misspelt keys and names.
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace faultline {

// Levenshtein distance (insert, delete, substitute each cost 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo: edit distance
// <= 2 (and less than the word's length, so "x" does not suggest "y"), or one is a prefix
// of the other. Ties go to the earlier candidate.
std::optional<std::string> suggest(std::string_view word, std::span<const std::string> candidates);

// "; did you mean 'x'?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, std::span<const std::string> candidates);

}  // namespace faultline
