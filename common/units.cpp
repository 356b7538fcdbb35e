#include "common/units.hpp"
#include "common/text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fmt/format.h>

namespace faultline {
namespace {

struct NumberAndUnit {
    double number = 0;
    std::string_view unit;
    bool ok = false;
};

// Splits "12.5ms" into 12.5 and "ms". Rejects signs, exponents and empty numbers, which
// users never mean in a duration or size.
NumberAndUnit split_number(std::string_view text) {
    NumberAndUnit out;
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == 0) return out;
    const char* begin = text.data();
    auto [ptr, ec] = std::from_chars(begin, begin + i, out.number, std::chars_format::fixed);
    if (ec != std::errc{} || ptr != begin + i || !std::isfinite(out.number)) return out;
    out.unit = text.substr(i);
    out.ok = true;
    return out;
}

}  // namespace

Parsed<std::chrono::nanoseconds> parse_duration(std::string_view raw) {
    const std::string_view text = trim(raw);
    const auto bad = [&](std::string why) {
        return Parsed<std::chrono::nanoseconds>{std::nullopt, fmt::format("'{}' is not a duration: {}", raw, why)};
    };
    auto nu = split_number(text);
    if (!nu.ok) return bad("expected a number followed by ms, s, m or h (e.g. 250ms)");
    struct UnitNs { std::string_view name; double ns; };
    static constexpr std::array<UnitNs, 6> units{{
        {"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}}};
    if (nu.unit.empty()) {
        if (nu.number == 0) return {std::chrono::nanoseconds{0}, {}};
        return bad("a unit is required (ns, us, ms, s, m or h)");
    }
    for (const auto& u : units) {
        if (nu.unit == u.name) {
            const double ns = nu.number * u.ns;
            if (ns > 9.2e18) return bad("too large");
            return {std::chrono::nanoseconds{static_cast<std::int64_t>(std::llround(ns))}, {}};
        }
    }
    return bad(fmt::format("unknown unit '{}' (use ns, us, ms, s, m or h)", nu.unit));
}

Parsed<std::uint64_t> parse_size(std::string_view raw) {
    const std::string_view text = trim(raw);
    const auto bad = [&](std::string why) {
        return Parsed<std::uint64_t>{std::nullopt, fmt::format("'{}' is not a size: {}", raw, why)};
    };
    auto nu = split_number(text);
    if (!nu.ok) return bad("expected a number with an optional unit (e.g. 64KiB, 16MiB)");
    struct UnitBytes { std::string_view name; double bytes; };
    static constexpr std::array<UnitBytes, 11> units{{
        {"", 1}, {"b", 1},
        {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9},
        {"kib", 1024.0}, {"mib", 1048576.0}, {"gib", 1073741824.0},
        {"k", 1024.0}, {"m", 1048576.0}, {"g", 1073741824.0}}};
    for (const auto& u : units) {
        if (iequals(nu.unit, u.name)) {
            const double bytes = nu.number * u.bytes;
            if (bytes > 1.8e19) return bad("too large");
            if (bytes != std::floor(bytes)) return bad("not a whole number of bytes");
            return {static_cast<std::uint64_t>(bytes), {}};
        }
    }
    return bad(fmt::format("unknown unit '{}' (use B, KB, MB, GB, KiB, MiB or GiB)", nu.unit));
}

Parsed<double> parse_rate(std::string_view raw) {
    const std::string_view text = trim(raw);
    const auto bad = [&](std::string why) {
        return Parsed<double>{std::nullopt, fmt::format("'{}' is not a rate: {}", raw, why)};
    };
    auto nu = split_number(text);
    if (!nu.ok) return bad("expected N/s or N/m (e.g. 100/s)");
    double per_second = 0;
    if (nu.unit.empty() || nu.unit == "/s") per_second = nu.number;
    else if (nu.unit == "/m") per_second = nu.number / 60.0;
    else if (nu.unit == "/h") per_second = nu.number / 3600.0;
    else return bad(fmt::format("unknown unit '{}' (use /s, /m or /h)", nu.unit));
    if (!(per_second > 0)) return bad("must be greater than zero");
    return {per_second, {}};
}

std::string format_duration(std::chrono::nanoseconds d) {
    const auto ns = d.count();
    if (ns == 0) return "0s";
    struct Unit { std::string_view name; std::int64_t ns; };
    static constexpr std::array<Unit, 6> units{{
        {"h", 3600'000'000'000}, {"m", 60'000'000'000}, {"s", 1'000'000'000},
        {"ms", 1'000'000}, {"us", 1'000}, {"ns", 1}}};
    for (const auto& u : units) {
        if (ns >= u.ns && (ns % u.ns == 0 || u.ns <= 1'000'000)) {
            if (ns % u.ns == 0) return fmt::format("{}{}", ns / u.ns, u.name);
            return fmt::format("{:g}{}", static_cast<double>(ns) / static_cast<double>(u.ns), u.name);
        }
    }
    return fmt::format("{}ns", ns);
}

}  // namespace faultline
