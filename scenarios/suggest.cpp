#include "scenarios/suggest.hpp"

#include <algorithm>
#include <vector>

namespace faultline {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // One row of the DP table at a time: row[j] = distance(a[0..i), b[0..j)).
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::optional<std::string> suggest(std::string_view word, std::span<const std::string> candidates) {
    std::optional<std::string> best;
    std::size_t best_distance = 3;
    for (const auto& c : candidates) {
        if (c == word) continue;
        const std::size_t d = edit_distance(word, c);
        const bool typo = d <= 2 && d < word.size();
        const bool prefix = !word.empty() && (c.starts_with(word) || word.starts_with(c));
        if (!typo && !prefix) continue;
        // A prefix match ranks like a two-letter typo so real typos win.
        const std::size_t rank = typo ? d : 2;
        if (rank < best_distance) {
            best_distance = rank;
            best = c;
        }
    }
    return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string> candidates) {
    auto s = suggest(word, candidates);
    return s ? "; did you mean '" + *s + "'?" : std::string();
}

}  // namespace faultline
