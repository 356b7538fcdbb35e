#pragma once
// Live metrics of a running load in the Prometheus text exposition format 0.0.4
// (`faultline run --metrics-listen`, docs/metrics.md). Pure: LiveMetrics is a snapshot the
// control thread builds from closed intervals; prometheus_text() renders it. Neither reads
// a clock or touches a socket.
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "reports/histogram.hpp"
#include "reports/outcome.hpp"
#include "reports/run_result.hpp"

namespace faultline {

// Upper bounds (ms) of the latency histogram's buckets; +Inf is added after them.
inline constexpr std::array<std::int64_t, 13> kLatencyBucketBoundsMs = {1,   2,   5,    10,   25,   50,   100,
                                                                        250, 500, 1000, 2500, 5000, 10000};

struct LiveMetrics {
    std::string scenario;  // label of faultline_run_info
    std::string shard;     // "I/N" of --shard; empty when the run is not sharded
    double elapsed_s = 0;  // since the origin (negative during warm-up)
    std::uint64_t requests = 0;   // issued, summed over the closed intervals
    std::vector<std::pair<int, std::uint64_t>> status_codes;  // responses by code, ascending
    OutcomeCounts errors;
    Histogram latency_us = Histogram::latency_us();  // corrected latency, cumulative
    double rate_per_s = 0;     // requests of the last closed interval per second
    std::string active_fault;  // what the progress line shows; empty when none
};

// Adds one closed interval: counters, status codes and its histogram (decoded from
// `interval.hdr`; throws HdrDecodeError on a corrupt one). `rate_per_s` becomes the
// interval's requests / `interval_length`.
void add_interval(LiveMetrics& metrics, const IntervalResult& interval, Duration interval_length);

// The exposition text: every family with its HELP and TYPE lines, names prefixed
// `faultline_`, latency in seconds. Every error class is always present (0 included) so
// rate() works from the first scrape. A latency bucket `le=B` counts the values of every
// HdrHistogram index up to the one holding B (HdrHistogram's getCountBetweenValues rule:
// bucket edges are exact to the histogram's resolution, 0.1 %).
std::string prometheus_text(const LiveMetrics& metrics);

// Content-Type of prometheus_text() over HTTP.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace faultline
