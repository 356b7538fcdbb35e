#include "reports/prometheus_text.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>

#include "common/prometheus.hpp"
#include <iterator>

#include "reports/hdr_codec.hpp"

namespace faultline {

namespace {

// The `le` labels of kLatencyBucketBoundsMs in seconds, spelled once so they never depend
// on float formatting.
constexpr std::array<const char*, kLatencyBucketBoundsMs.size()> kLatencyBucketLabels = {
    "0.001", "0.002", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"};

void family(std::string& out, const char* name, const char* type, const char* help) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void latency_histogram(std::string& out, const Histogram& h) {
    family(out, "faultline_latency_seconds", "histogram",
           "Corrected latency of completed requests, from the intended send time.");
    // One pass over the counts: cumulative count up to each bound's index, and the sum of
    // median-equivalent values (exact integer, so the sum never decreases between scrapes).
    std::int64_t cumulative = 0;
    std::int64_t sum_us = 0;
    std::array<std::size_t, kLatencyBucketBoundsMs.size()> last_index{};
    for (std::size_t b = 0; b < last_index.size(); ++b) last_index[b] = h.index_of(kLatencyBucketBoundsMs[b] * 1000);
    std::array<std::int64_t, kLatencyBucketBoundsMs.size()> below{};
    std::size_t bound = 0;
    for (std::size_t i = 0; i < h.counts_length(); ++i) {
        while (bound < below.size() && i > last_index[bound]) below[bound++] = cumulative;
        const auto n = h.count_at_index(i);
        if (n == 0) continue;
        cumulative += n;
        sum_us += h.median_equivalent(h.value_at_index(i)) * n;
    }
    while (bound < below.size()) below[bound++] = cumulative;
    for (std::size_t b = 0; b < below.size(); ++b)
        fmt::format_to(std::back_inserter(out), "faultline_latency_seconds_bucket{{le=\"{}\"}} {}\n",
                       kLatencyBucketLabels[b], below[b]);
    fmt::format_to(std::back_inserter(out),
                   "faultline_latency_seconds_bucket{{le=\"+Inf\"}} {}\n"
                   "faultline_latency_seconds_sum {}\n"
                   "faultline_latency_seconds_count {}\n",
                   h.total_count(), static_cast<double>(sum_us) / 1e6, h.total_count());
}

}  // namespace

void add_interval(LiveMetrics& metrics, const IntervalResult& interval, Duration interval_length) {
    if (!interval.hdr.empty()) metrics.latency_us.add(decode_compressed_base64(interval.hdr));
    metrics.requests += interval.requests;
    metrics.errors.add(interval.errors);
    for (const auto& [code, n] : interval.status_codes) {
        auto it = std::lower_bound(metrics.status_codes.begin(), metrics.status_codes.end(), code,
                                   [](const auto& entry, int c) { return entry.first < c; });
        if (it == metrics.status_codes.end() || it->first != code) it = metrics.status_codes.insert(it, {code, 0});
        it->second += n;
    }
    const double seconds = std::chrono::duration<double>(interval_length).count();
    metrics.rate_per_s = seconds > 0 ? static_cast<double>(interval.requests) / seconds : 0;
}

std::string prometheus_text(const LiveMetrics& m) {
    std::string out;
    family(out, "faultline_run_info", "gauge", "The run this process serves: scenario and shard (I/N).");
    fmt::format_to(std::back_inserter(out), "faultline_run_info{{scenario=\"{}\",shard=\"{}\"}} 1\n",
                   prometheus_label(m.scenario), prometheus_label(m.shard));
    family(out, "faultline_elapsed_seconds", "gauge", "Time since the run's origin (negative during warm-up).");
    fmt::format_to(std::back_inserter(out), "faultline_elapsed_seconds {}\n", m.elapsed_s);
    family(out, "faultline_requests_total", "counter", "Requests issued, counted when their interval closes.");
    fmt::format_to(std::back_inserter(out), "faultline_requests_total {}\n", m.requests);
    family(out, "faultline_responses_total", "counter", "Requests that got an HTTP response, by status code.");
    for (const auto& [code, n] : m.status_codes)
        fmt::format_to(std::back_inserter(out), "faultline_responses_total{{code=\"{}\"}} {}\n", code, n);
    family(out, "faultline_errors_total", "counter", "Failed requests and dropped arrivals, by error class.");
    for (std::size_t i = 0; i < kOutcomeCount; ++i) {
        const auto o = static_cast<Outcome>(i);
        if (o == Outcome::success) continue;
        fmt::format_to(std::back_inserter(out), "faultline_errors_total{{class=\"{}\"}} {}\n", outcome_name(o),
                       m.errors[o]);
    }
    latency_histogram(out, m.latency_us);
    family(out, "faultline_rate_per_second", "gauge", "Requests per second in the last closed interval.");
    fmt::format_to(std::back_inserter(out), "faultline_rate_per_second {}\n", m.rate_per_s);
    family(out, "faultline_fault_active", "gauge", "1 while a fault of this run is applied, labelled with it.");
    if (m.active_fault.empty())
        out += "faultline_fault_active 0\n";
    else
        fmt::format_to(std::back_inserter(out), "faultline_fault_active{{fault=\"{}\"}} 1\n",
                       prometheus_label(m.active_fault));
    return out;
}

}  // namespace faultline
