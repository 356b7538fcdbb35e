#include "examples/demo_target/options.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>
#include <iostream>

#include "common/units.hpp"

namespace faultline::demo {

namespace {

constexpr int kBadUsage = 2;

int bad_usage(const std::string& message) {
    std::cerr << "faultline-demo-target: " << message << "\nRun with --help for more information.\n";
    return kBadUsage;
}

}  // namespace

ParseResult parse_demo_options(int argc, char** argv) {
    DemoOptions options;
    std::string latency = "5ms";
    std::string jitter = "2ms";

    CLI::App app{"faultline-demo-target: an HTTP/1.1 server with injectable latency and errors"};
    // A repeated option overrides the earlier one, so wrappers can pass defaults first.
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    app.footer(
        "Routes: / and unknown paths -> 200 \"ok\"; /status/NNN; /bytes/N; /chunked/N; /delay/MS;\n"
        "/echo (request as JSON); /close (no response); /health (no latency or errors).\n"
        "Prints \"listening on http(s)://HOST:PORT\" once ready; SIGINT/SIGTERM stop it gracefully.");
    app.add_option("--port", options.port, "TCP port to listen on (0 picks a free port)")
        ->required()
        ->check(CLI::Range(0, 65535));
    app.add_option("--host", options.host, "address to listen on")->capture_default_str();
    app.add_option("--latency", latency, "delay before each response, e.g. 5ms")->capture_default_str();
    app.add_option("--jitter", jitter, "uniform ± spread around --latency, e.g. 2ms")->capture_default_str();
    app.add_option("--error-rate", options.faults.error_rate, "probability of a 500 response")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    app.add_flag("--tls", options.tls, "serve HTTPS with a generated self-signed CA");
    app.add_option("--ca-out", options.ca_out, "where --tls writes the CA certificate (PEM)")
        ->capture_default_str();
    app.add_option("--threads", options.threads, "threads running the io_context")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    app.add_option("--seed", options.faults.seed, "seed of the latency and error draws")->capture_default_str();

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kBadUsage;
    }

    const auto parsed_latency = parse_duration(latency);
    if (!parsed_latency) return bad_usage("--latency: " + parsed_latency.error);
    const auto parsed_jitter = parse_duration(jitter);
    if (!parsed_jitter) return bad_usage("--jitter: " + parsed_jitter.error);
    options.faults.latency = *parsed_latency;
    options.faults.jitter = *parsed_jitter;

    boost::system::error_code ec;
    boost::asio::ip::make_address(options.host, ec);
    if (ec) return bad_usage("--host: '" + options.host + "' is not an IP address");
    return options;
}

}  // namespace faultline::demo
