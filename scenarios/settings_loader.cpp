#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>

#include "scenarios/loader_parts.hpp"

namespace faultline {

void load_tls(YamlReader& rd, const YAML::Node& tls, const std::filesystem::path& base_dir, Scenario& s) {
    if (!rd.expect_map(tls, "tls")) return;
    rd.check_keys(tls, {"insecure", "ca_file"}, "tls");
    if (const auto n = tls["insecure"]) {
        if (auto v = rd.boolean(n, "tls.insecure")) s.http.insecure = *v;
    }
    if (const auto n = tls["ca_file"]) {
        auto name = rd.string(n, "tls.ca_file");
        if (!name) return;
        const auto path = base_dir / *name;
        if (!std::ifstream(path)) {
            rd.error(n, fmt::format("tls.ca_file: cannot read '{}'", path.string()));
            return;
        }
        s.http.ca_file = path.string();
    }
}

void load_http(YamlReader& rd, const YAML::Node& http, Scenario& s) {
    if (!rd.expect_map(http, "http")) return;
    rd.check_keys(http, {"connections", "timeout", "connect_timeout", "keep_alive", "max_header", "max_body"},
                  "http");
    if (const auto n = http["connections"]) {
        if (auto v = rd.integer(n, "http.connections", 1, 1'000'000)) s.http.connections = static_cast<int>(*v);
    }
    const auto positive_duration = [&](const char* key, Duration& out) {
        const auto n = http[key];
        if (!n) return;
        const std::string what = std::string("http.") + key;
        auto v = rd.duration(n, what);
        if (v && *v <= Duration::zero()) rd.error(n, what + ": must be greater than zero");
        else if (v) out = *v;
    };
    positive_duration("timeout", s.http.timeout);
    positive_duration("connect_timeout", s.connect_timeout);
    if (const auto n = http["keep_alive"]) {
        if (auto v = rd.boolean(n, "http.keep_alive")) s.keep_alive = *v;
    }
    if (const auto n = http["max_header"]) {
        if (auto v = rd.size(n, "http.max_header")) s.http.max_header_bytes = static_cast<std::size_t>(*v);
    }
    if (const auto n = http["max_body"]) {
        if (auto v = rd.size(n, "http.max_body")) s.http.max_body_bytes = *v;
    }
}

// Defaults that depend on the load: the closed model needs one connection per VU, and the
// open model's waiting-request FIFO holds one second of the highest rate so a short stall
// queues rather than drops, while a long one still shows up as dropped arrivals.

void finish_http_settings(const YAML::Node& http, Scenario& s) {
    const bool connections_given = http && http.IsMap() && http["connections"];
    s.connect_timeout = std::min(s.connect_timeout, s.http.timeout);
    if (s.load.model == LoadModel::closed) {
        int max_vus = std::max(s.load.start_vus, 0);
        for (const auto& stage : s.load.stages) max_vus = std::max(max_vus, stage.vus);
        if (!connections_given) s.http.connections = std::max(max_vus, 1);
        s.http.max_pending = 0;
        return;
    }
    double max_rate = std::max(s.load.start_rate_per_s, 0.0);
    for (const auto& stage : s.load.stages) max_rate = std::max(max_rate, stage.rate_per_s);
    s.http.max_pending = default_max_pending(max_rate);
}

}  // namespace faultline
