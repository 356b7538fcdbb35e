#include "reports/outcome.hpp"

namespace faultline {

std::string_view outcome_name(Outcome o) noexcept {
    static constexpr std::array<std::string_view, kOutcomeCount> names{
        "success", "connect_refused", "connect_timeout", "timeout", "reset", "protocol",
        "tls", "dns", "http_4xx", "http_5xx", "dropped", "check"};
    return names[static_cast<std::size_t>(o)];
}

Outcome outcome_for_status(int status) noexcept {
    if (status >= 500) return Outcome::http_5xx;
    if (status >= 400) return Outcome::http_4xx;
    return Outcome::success;
}

void OutcomeCounts::add(const OutcomeCounts& other) noexcept {
    for (std::size_t i = 0; i < kOutcomeCount; ++i) n[i] += other.n[i];
}

std::uint64_t OutcomeCounts::failures() const noexcept { return total() - (*this)[Outcome::success]; }

std::uint64_t OutcomeCounts::total() const noexcept {
    std::uint64_t sum = 0;
    for (auto v : n) sum += v;
    return sum;
}

double error_rate(const OutcomeCounts& counts, std::uint64_t issued_requests) noexcept {
    const auto denominator = issued_requests + counts[Outcome::dropped];
    if (denominator == 0) return 0.0;
    return static_cast<double>(counts.failures()) / static_cast<double>(denominator);
}

}  // namespace faultline
