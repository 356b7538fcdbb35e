#pragma once
// Parsing and formatting of the unit strings users type: durations ("250ms", "1.5s", "2m"),
// byte sizes ("64KiB", "16MiB", "1MB") and rates ("100/s", "600/m"). Pure functions.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace faultline {

// A parsed value, or the reason it could not be parsed (for messages like
// "--timeout: '5x' is not a duration (use ms, s, m or h, e.g. 250ms)").
template <class T>
struct Parsed {
    std::optional<T> value;
    std::string error;
    explicit operator bool() const noexcept { return value.has_value(); }
    const T& operator*() const { return *value; }
    const T* operator->() const { return &*value; }
};

// Accepts a non-negative decimal number followed by one of ns, us, ms, s, m, h.
// A bare "0" is accepted as zero; any other bare number is rejected as ambiguous.
Parsed<std::chrono::nanoseconds> parse_duration(std::string_view text);

// Accepts a non-negative integer or decimal with an optional unit: B, KB/MB/GB (10^3n),
// KiB/MiB/GiB (2^10n); K/M/G alone mean KiB/MiB/GiB. Case-insensitive units.
Parsed<std::uint64_t> parse_size(std::string_view text);

// Accepts "N/s", "N/m", "N/h" or a bare N (per second); N > 0. Returns requests per second.
Parsed<double> parse_rate(std::string_view text);

// Formats a duration the short way a user would write it back: "250ms", "1.5s", "2m".
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace faultline
