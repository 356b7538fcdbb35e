#include "reports/hdr_log.hpp"

#include <cmath>
#include <ctime>
#include <fmt/format.h>
#include <iterator>

#include "reports/hdr_codec.hpp"

namespace faultline {
namespace {

constexpr double kMaxValueUnitRatio = 1000.0;  // us recorded -> ms printed

// Java's HistogramLogWriter prints `new Date(ms).toString()`: "Tue Nov 14 22:13:20 UTC 2023".
std::string java_style_date(std::int64_t unix_ms) {
    const std::time_t secs = static_cast<std::time_t>(std::floor(static_cast<double>(unix_ms) / 1000.0));
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[48];
    std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
    return buf;
}

void append_line(std::string& out, const std::string* tag, const IntervalResult& i, double interval_s) {
    static const std::string kEmpty = encode_compressed_base64(Histogram::latency_us());
    const std::string& hdr = i.hdr.empty() ? kEmpty : i.hdr;
    const Histogram h = decode_compressed_base64(hdr);
    auto o = std::back_inserter(out);
    if (tag) fmt::format_to(o, "Tag={},", *tag);
    fmt::format_to(o, "{:.3f},{:.3f},{:.3f},{}\n", i.t_s, interval_s, static_cast<double>(h.max()) / kMaxValueUnitRatio,
                   hdr);
}

// The step's interval starting at t_s: usually the same index as the totals'.
const IntervalResult* find_interval(const std::vector<IntervalResult>& intervals, std::size_t hint, double t_s) {
    const auto same = [t_s](const IntervalResult& i) { return std::fabs(i.t_s - t_s) < 1e-6; };
    if (hint < intervals.size() && same(intervals[hint])) return &intervals[hint];
    for (const auto& i : intervals)
        if (same(i)) return &i;
    return nullptr;
}

}  // namespace

std::string hdr_log_tag(std::string_view step_name) {
    std::string tag(step_name);
    for (char& c : tag)
        if (c == ',' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) c = '_';
    return tag.empty() ? "_" : tag;
}

std::string render_hdr_log(const RunResult& r) {
    std::string out;
    auto o = std::back_inserter(out);
    const double start_s = static_cast<double>(r.start_unix_ms) / 1000.0;
    const double interval_s = std::chrono::duration<double>(r.info.interval).count();
    fmt::format_to(o, "#[Logged with faultline {}]\n", FAULTLINE_VERSION);
    out += "#[Histogram log format version 1.3]\n";
    fmt::format_to(o, "#[StartTime: {:.3f} (seconds since epoch), {}]\n", start_s, java_style_date(r.start_unix_ms));
    fmt::format_to(o, "#[BaseTime: {:.3f} (seconds since epoch)]\n", start_s);
    out += "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n";
    std::vector<std::string> tags;
    for (const auto& s : r.steps) tags.push_back(hdr_log_tag(s.name));
    for (std::size_t n = 0; n < r.intervals.size(); ++n) {
        append_line(out, nullptr, r.intervals[n], interval_s);
        for (std::size_t s = 0; s < r.steps.size(); ++s)
            if (const auto* i = find_interval(r.steps[s].stats.intervals, n, r.intervals[n].t_s))
                append_line(out, &tags[s], *i, interval_s);
    }
    return out;
}

}  // namespace faultline
