#pragma once
// `faultline run` flags as typed, before validation. main.cpp fills this with CLI11;
// run_command.cpp validates it into a RunSpec.
#include <optional>
#include <string>
#include <vector>

namespace faultline {

struct RunOptions {
    std::string scenario_file;              // `faultline run FILE.yaml`; empty in --url mode
    std::vector<std::string> env;           // -e NAME=VALUE, for {{env.NAME}}
    std::optional<std::string> target;     // --target URL: replaces the file's target
    std::string url;
    std::optional<std::string> rate;
    std::optional<int> vus;
    std::optional<std::string> duration;
    std::optional<long long> requests;
    std::optional<int> connections;
    std::string method = "GET";
    std::vector<std::string> headers;
    std::string body;
    std::string timeout = "5s";
    bool insecure = false;
    std::string ca_file;
    std::string json_path;
    std::string html_path;     // --html
    std::string junit_path;    // --junit
    std::string hdr_log_path;  // --hdr-log
    int threads = 1;
    std::string interval = "1s";
    std::optional<long long> max_pending;
    std::string max_header = "64KiB";
    std::string max_body = "16MiB";
    bool quiet = false;
    // Distributed runs (docs/distributed.md).
    std::optional<std::string> shard;     // --shard I/N
    std::optional<std::string> start_at;  // --start-at RFC3339|unix-ms: the origin of every process
    bool faults_only = false;             // --faults-only: the chaos part alone, no load
    bool no_faults = false;               // --no-faults: the load alone, no proxies, services or faults
    std::string metrics_listen;           // --metrics-listen HOST:PORT: live Prometheus /metrics (docs/metrics.md)
};

}  // namespace faultline
