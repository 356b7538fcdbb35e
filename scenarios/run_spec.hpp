#pragma once
// What one run is asked to do, as plain values. The ad-hoc `faultline run --url` mode fills
// it from flags; scenario files (a later issue) fill the same structs, so the driver has
// one code path.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "scenarios/target_url.hpp"

namespace faultline {

struct RequestSpec {
    std::string method = "GET";
    TargetUrl url;
    std::vector<std::pair<std::string, std::string>> headers;  // as given, in order
    std::string body;
};

enum class LoadModel { open, closed };

struct LoadSpec {
    LoadModel model = LoadModel::open;
    double rate_per_s = 0;  // open model: arrivals per second
    int vus = 0;            // closed model: virtual users, one connection each
    std::optional<Duration> duration;       // stop issuing after this long
    std::optional<std::uint64_t> requests;  // stop after exactly this many requests
};

struct HttpSettings {
    int connections = 64;  // the pool never exceeds it (closed model: == vus)
    Duration timeout = std::chrono::seconds(5);
    bool insecure = false;  // skip TLS certificate and host name verification
    std::string ca_file;    // extra CA bundle (PEM) to trust; empty: system store only
    std::size_t max_pending = 0;  // open model: waiting-request FIFO capacity
    std::size_t max_header_bytes = 64 * 1024;
    std::uint64_t max_body_bytes = 16u << 20;
};

struct RunSpec {
    RequestSpec request;
    LoadSpec load;
    HttpSettings http;
    int threads = 1;
    Duration interval = std::chrono::seconds(1);
};

// The open model's default queue: one second of arrivals at the peak rate, capped because
// each HostPool allocates it up front and any positive rate parses (1e100/s), whose size_t
// conversion would be undefined.
inline std::size_t default_max_pending(double peak_rate_per_s) {
    return static_cast<std::size_t>(std::clamp(std::ceil(peak_rate_per_s), 1.0, 1'000'000.0));
}

}  // namespace faultline
