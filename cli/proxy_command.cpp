#include "cli/proxy_command.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>
#include <iostream>
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
    faults::ApiServer server(io.get_executor(), registry);
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
