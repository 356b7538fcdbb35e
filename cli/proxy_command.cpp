#include "cli/proxy_command.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>
#include <iostream>
#include <cstdlib>
#include <random>

#include "cli/exit_codes.hpp"
#include "faults/api.hpp"
#include "faults/api_server.hpp"
#include "faults/config_file.hpp"
#include "faults/populate.hpp"

namespace faultline {

std::vector<std::string> rewrite_toxiproxy_flags(std::vector<std::string> args) {
    static const char* const names[] = {"host", "port", "config", "seed", "version", "proxy-metrics", "runtime-metrics"};
    if (args.size() < 2 || args[1] != "proxy") return args;  // other subcommands keep their own flags
    for (auto& arg : args) {
        if (arg.size() < 2 || arg[0] != '-' || arg[1] == '-') continue;
        const auto eq = arg.find('=');
        const std::string name = arg.substr(1, eq == std::string::npos ? std::string::npos : eq - 1);
        for (const char* known : names)
            if (name == known) arg = "-" + arg;
    }
    return args;
}

bool is_loopback_host(const std::string& host) {
    if (host == "localhost") return true;
    boost::system::error_code ec;
    const auto address = boost::asio::ip::make_address(host, ec);
    return !ec && address.is_loopback();
}

namespace {

// The API controls every proxy (and so what the system under test sees); reachable from
// other hosts, anyone who can connect can break it.
void warn_if_exposed(const std::string& host, bool has_token) {
    if (is_loopback_host(host)) return;
    std::cerr << fmt::format(
        "faultline proxy: WARNING: the admin API is bound to {}, not a loopback address: anyone who can reach "
        "this port can create proxies and inject faults.\n",
        host);
    if (!has_token)
        std::cerr << "faultline proxy: WARNING: no --api-token is set: the API accepts every request. Set "
                     "--api-token (or FAULTLINE_API_TOKEN) to require \"Authorization: Bearer <token>\".\n";
}

}  // namespace

int proxy_command(const ProxyOptions& options) {
    if (options.version) {
        std::cout << fmt::format("faultline proxy (Toxiproxy API {})\n", faults::kToxiproxyVersion);
        return exit_code::ok;
    }
    if (options.port < 0 || options.port > 65535) {
        std::cerr << "faultline proxy: --port must be between 0 and 65535\n";
        return exit_code::bad_input;
    }
    std::vector<faults::PopulateItem> items;
    if (options.config) {
        auto loaded = faults::load_config(*options.config);
        if (!loaded.error.empty()) {
            std::cerr << "faultline proxy: --config " << loaded.error << "\n";
            return exit_code::bad_input;  // before anything listens
        }
        items = std::move(loaded.items);
    }
    boost::asio::io_context io;
    const std::uint64_t seed = options.seed ? *options.seed : std::random_device{}();
    faults::ProxyRegistry registry(io.get_executor(), faults::SteadySleepClock::instance(), seed);
    auto populated = faults::apply_populate(registry, items);
    if (populated.status != 0) {
        std::cerr << fmt::format("faultline proxy: --config {}: entry {}: {}\n", *options.config, populated.entry,
                                 populated.error);
        return exit_code::setup_failed;
    }
    faults::ApiServerOptions api_options;
    api_options.token = options.api_token;
    if (api_options.token.empty())
        if (const char* env = std::getenv("FAULTLINE_API_TOKEN")) api_options.token = env;
    warn_if_exposed(options.host, !api_options.token.empty());
    faults::ApiServer server(io.get_executor(), registry, std::move(api_options));
    if (auto error = server.listen(options.host, static_cast<unsigned short>(options.port)); !error.empty()) {
        std::cerr << "faultline proxy: " << error << "\n";
        return exit_code::setup_failed;
    }
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int) {
        // Graceful: stop accepting, close every proxied connection, let the loop drain.
        server.stop();
        registry.stop_all();
    });
    const auto endpoint = server.local_endpoint();
    const auto host = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]"
                                                 : endpoint.address().to_string();
    std::cout << fmt::format("listening on http://{}:{}", host, endpoint.port()) << std::endl;
    io.run();
    return exit_code::ok;
}

}  // namespace faultline
