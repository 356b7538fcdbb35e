#pragma once
// `faultline proxy`: the Toxiproxy-compatible fault proxy server.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace faultline {

struct ProxyOptions {
    std::string host = "127.0.0.1";
    int port = 8474;
    std::optional<std::string> config;
    std::optional<std::uint64_t> seed;
    // Bearer token required on every admin API request; also read from FAULTLINE_API_TOKEN
    // (which keeps it out of `ps`). Empty: no authentication.
    std::string api_token;
    bool version = false;
    bool proxy_metrics = false;    // accepted for toxiproxy-server compatibility; /metrics is always on
    bool runtime_metrics = false;  // likewise
};

// Rewrites toxiproxy-server's single-dash flags (-host, -port, -config, -seed, -version,
// -proxy-metrics, -runtime-metrics, also as -flag=value) into the long forms when args[1] is
// "proxy", so scripts
// written for toxiproxy-server run `faultline proxy` unchanged. Other arguments are kept.
std::vector<std::string> rewrite_toxiproxy_flags(std::vector<std::string> args);

// True for 127.0.0.0/8, ::1 and "localhost": the admin API is reachable only from this host.
bool is_loopback_host(const std::string& host);

// Runs the server until SIGINT/SIGTERM. Prints "listening on http://HOST:PORT" on stdout
// once the API accepts connections. A non-loopback --host prints a warning on stderr first
// (louder without a token). The token is never printed. Exit codes: 0 after a signal, 2 for a bad --config or
// flag, 3 when a listener cannot be bound.
int proxy_command(const ProxyOptions& options);

}  // namespace faultline
