#pragma once
// Counts of HTTP status codes. A flat array so counting on the hot path is one increment;
// `sparse()` gives the non-zero codes for reports.
#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace faultline {

class StatusCounts {
public:
    static constexpr int kMaxStatus = 599;

    // Codes outside 100..599 never reach here: the response parser rejects them.
    void count(int status, std::uint64_t n = 1) noexcept {
        if (status >= 0 && status <= kMaxStatus) counts_[static_cast<std::size_t>(status)] += n;
    }
    void add(const StatusCounts& other) noexcept {
        for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    }
    std::uint64_t at(int status) const noexcept { return counts_[static_cast<std::size_t>(status)]; }
    // (status, count) for every status seen, ascending.
    std::vector<std::pair<int, std::uint64_t>> sparse() const {
        std::vector<std::pair<int, std::uint64_t>> out;
        for (std::size_t i = 0; i < counts_.size(); ++i)
            if (counts_[i] != 0) out.emplace_back(static_cast<int>(i), counts_[i]);
        return out;
    }

private:
    std::array<std::uint64_t, kMaxStatus + 1> counts_{};
};

}  // namespace faultline
