#include "examples/demo_target/options.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>
#include <iostream>
#include <map>

#include "common/units.hpp"
#include "examples/demo_target/frontend_policy.hpp"

namespace faultline::demo {

namespace {

constexpr int kBadUsage = 2;

int bad_usage(const std::string& message) {
    std::cerr << "faultline-demo-target: " << message << "\nRun with --help for more information.\n";
    return kBadUsage;
}

// Durations as typed, parsed after CLI11 so the messages can name the flag.
struct DurationFlags {
    std::string latency = "5ms";
    std::string jitter = "2ms";
    std::string drain_timeout = "5s";
    std::string backend_timeout = "1s";
    std::string retry_window = "10s";
    std::string breaker_open = "2s";
    std::string rate_window = "1s";
    std::string stall_at = "0s";
    std::string stall_for = "0s";
};

const char* const kFaultFlags[] = {"--latency", "--jitter", "--error-rate", "--seed", "--stall-at", "--stall-for"};
const char* const kFrontendFlags[] = {"--backend",          "--backend-timeout", "--retries",     "--retry-budget",
                                      "--retry-window",     "--breaker",         "--breaker-failures",
                                      "--breaker-open",     "--bulkhead",        "--stale-cache", "--api-key",
                                      "--rate-limit",       "--rate-window"};

void add_common_flags(CLI::App& app, DemoOptions& options, DurationFlags& d) {
    app.add_option("--mode", options.mode, "target (test routes), backend (key/value store) or frontend (API)")
        ->transform(CLI::CheckedTransformer(
            std::map<std::string, Mode>{{"target", Mode::target}, {"backend", Mode::backend}, {"frontend", Mode::frontend}}))
        ->default_str("target");
    app.add_option("--port", options.port, "TCP port to listen on (0 picks a free port)")
        ->required()
        ->check(CLI::Range(0, 65535));
    app.add_option("--host", options.host, "address to listen on")->capture_default_str();
    app.add_flag("--tls", options.tls, "serve HTTPS with a generated self-signed CA");
    app.add_option("--ca-out", options.ca_out, "where --tls writes the CA certificate (PEM)")
        ->capture_default_str();
    app.add_option("--threads", options.threads, "threads running the io_context")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    app.add_option("--drain-timeout", d.drain_timeout, "on SIGTERM, time allowed for responses in progress")
        ->capture_default_str();
}

void add_fault_flags(CLI::App& app, DemoOptions& options, DurationFlags& d) {
    app.add_option("--latency", d.latency, "delay before each response, e.g. 5ms")->capture_default_str();
    app.add_option("--jitter", d.jitter, "uniform ± spread around --latency, e.g. 2ms")->capture_default_str();
    app.add_option("--error-rate", options.faults.error_rate,
                   "probability of a 500 response (default 0.01; 0 in backend mode)")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--seed", options.faults.seed, "seed of the latency and error draws")->capture_default_str();
    app.add_option("--stall-at", d.stall_at,
                   "with --stall-for: when the one stall starts, counted from the first request (not /health)")
        ->capture_default_str();
    app.add_option("--stall-for", d.stall_for,
                   "hold every response (in flight and new; not /health) that is due during the stall until it "
                   "ends, e.g. --stall-at 3s --stall-for 2s (0: no stall)")
        ->capture_default_str();
}

void add_frontend_flags(CLI::App& app, FrontendSettings& f, DurationFlags& d) {
    app.add_option("--backend", f.backend, "frontend: HOST:PORT of the backend (or of a proxy in front of it)");
    app.add_option("--backend-timeout", d.backend_timeout, "frontend: deadline of one backend attempt")
        ->capture_default_str();
    app.add_option("--retries", f.retries, "frontend: retries after a failed backend attempt")
        ->check(CLI::Range(0, 10))
        ->capture_default_str();
    app.add_option("--retry-budget", f.retry_budget, "frontend: retries per request allowed over --retry-window")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    app.add_option("--retry-window", d.retry_window, "frontend: sliding window of the retry budget")
        ->capture_default_str();
    app.add_flag("--breaker", f.breaker, "frontend: enable the circuit breaker");
    app.add_option("--breaker-failures", f.breaker_failures, "frontend: consecutive failures that open the breaker")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    app.add_option("--breaker-open", d.breaker_open, "frontend: open time before one half-open probe")
        ->capture_default_str();
    app.add_option("--bulkhead", f.bulkhead, "frontend: max concurrent backend calls (0: no limit)")
        ->capture_default_str();
    app.add_flag("--stale-cache", f.stale_cache, "frontend: serve the last good value when the backend fails");
    app.add_option("--api-key", f.api_key, "frontend: require X-API-Key: KEY or Authorization: Bearer KEY");
    app.add_option("--rate-limit", f.rate_limit, "frontend: requests per --rate-window, then 429 (0: no limit)")
        ->capture_default_str();
    app.add_option("--rate-window", d.rate_window, "frontend: fixed window of the rate limit")->capture_default_str();
}

// Parses `text` into `out`; false (after printing why) if it is not a duration or not > 0
// when `positive`.
bool take_duration(const char* flag, const std::string& text, std::chrono::nanoseconds& out, bool positive,
                   int& exit_code) {
    const auto parsed = parse_duration(text);
    if (!parsed) {
        exit_code = bad_usage(std::string(flag) + ": " + parsed.error);
        return false;
    }
    if (positive && *parsed <= std::chrono::nanoseconds::zero()) {
        exit_code = bad_usage(std::string(flag) + ": must be more than 0");
        return false;
    }
    out = *parsed;
    return true;
}

// Flags that belong to another mode are mistakes, not silently ignored settings.
int check_mode_flags(const CLI::App& app, Mode mode) {
    if (mode == Mode::frontend) {
        for (const char* flag : kFaultFlags)
            if (app.count(flag) > 0) return bad_usage(std::string(flag) + " applies to --mode target and backend");
        if (app.count("--backend") == 0) return bad_usage("--mode frontend needs --backend HOST:PORT");
    } else {
        for (const char* flag : kFrontendFlags)
            if (app.count(flag) > 0) return bad_usage(std::string(flag) + " applies to --mode frontend only");
    }
    return 0;
}

int finish(const CLI::App& app, DemoOptions& options, const DurationFlags& d) {
    if (const int code = check_mode_flags(app, options.mode)) return code;
    int code = 0;
    auto& f = options.frontend;
    if (!take_duration("--latency", d.latency, options.faults.latency, false, code) ||
        !take_duration("--jitter", d.jitter, options.faults.jitter, false, code) ||
        !take_duration("--stall-at", d.stall_at, options.faults.stall_at, false, code) ||
        !take_duration("--stall-for", d.stall_for, options.faults.stall_for, false, code) ||
        !take_duration("--drain-timeout", d.drain_timeout, options.drain_timeout, false, code) ||
        !take_duration("--backend-timeout", d.backend_timeout, f.backend_timeout, true, code) ||
        !take_duration("--retry-window", d.retry_window, f.retry_window, true, code) ||
        !take_duration("--breaker-open", d.breaker_open, f.breaker_open, true, code) ||
        !take_duration("--rate-window", d.rate_window, f.rate_window, true, code))
        return code;
    if (app.count("--stall-at") > 0 && options.faults.stall_for <= std::chrono::nanoseconds::zero())
        return bad_usage("--stall-at needs --stall-for");
    if (options.mode == Mode::backend && app.count("--error-rate") == 0) options.faults.error_rate = 0.0;
    if (options.mode == Mode::frontend && !parse_host_port(f.backend))
        return bad_usage("--backend: '" + f.backend + "' is not HOST:PORT");
    boost::system::error_code ec;
    boost::asio::ip::make_address(options.host, ec);
    if (ec) return bad_usage("--host: '" + options.host + "' is not an IP address");
    return 0;
}

}  // namespace

ParseResult parse_demo_options(int argc, char** argv) {
    DemoOptions options;
    DurationFlags durations;

    CLI::App app{"faultline-demo-target: an HTTP/1.1 server with injectable latency and errors"};
    // A repeated option overrides the earlier one, so wrappers can pass defaults first.
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.footer(
        "Modes (docs/demo-system.md): target (default) serves the test routes; backend serves a\n"
        "key/value store (/kv/KEY); frontend serves /items/KEY from --backend with switchable resilience.\n"
        "Target routes: / and unknown paths -> 200 \"ok\"; /status/NNN; /bytes/N; /chunked/N; /delay/MS;\n"
        "/echo (request as JSON); /close (no response); /health (no latency or errors).\n"
        "Prints \"listening on http(s)://HOST:PORT\" once ready; SIGINT/SIGTERM stop it gracefully.");
    add_common_flags(app, options, durations);
    add_fault_flags(app, options, durations);
    add_frontend_flags(app, options.frontend, durations);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kBadUsage;
    }
    if (const int code = finish(app, options, durations)) return code;
    return options;
}

}  // namespace faultline::demo
