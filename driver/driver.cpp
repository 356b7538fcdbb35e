#include "driver/driver.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cmath>
#include <fmt/format.h>
#include <thread>

#include "driver/request_bytes.hpp"
#include "driver/worker.hpp"

namespace faultline {
namespace net = boost::asio;
using net::ip::tcp;

namespace {

// Workers start together a little after setup, so their first intended sends line up.
constexpr Duration kStartLead = std::chrono::milliseconds(20);
constexpr Duration kInterruptGrace = std::chrono::seconds(1);

std::vector<tcp::endpoint> resolve(const TargetUrl& url) {
    net::io_context io;
    tcp::resolver resolver(io);
    boost::system::error_code ec;
    auto results = resolver.resolve(url.host, url.port, ec);
    if (ec || results.empty())
        throw SetupError(fmt::format("dns: cannot resolve '{}': {}", url.host, ec ? ec.message() : "no addresses"));
    std::vector<tcp::endpoint> out;
    for (const auto& r : results) out.push_back(r.endpoint());
    return out;
}

std::unique_ptr<net::ssl::context> make_tls_context(const RunSpec& spec) {
    if (!spec.request.url.tls) return nullptr;
    auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
    ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                     net::ssl::context::no_sslv3);
    if (spec.http.insecure) {
        ctx->set_verify_mode(net::ssl::verify_none);
        return ctx;
    }
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);
    if (!spec.http.ca_file.empty()) {
        ctx->load_verify_file(spec.http.ca_file, ec);
        if (ec) throw SetupError(fmt::format("tls: cannot load CA file '{}': {}", spec.http.ca_file, ec.message()));
    }
    ctx->set_verify_mode(net::ssl::verify_peer);
    return ctx;
}

// Splits total into n parts that differ by at most one.
std::uint64_t share(std::uint64_t total, unsigned n, unsigned i) { return total / n + (i < total % n ? 1 : 0); }

}  // namespace

std::vector<WorkerPlan> plan_workers(const RunSpec& spec) {
    const unsigned n = static_cast<unsigned>(std::max(1, spec.threads));
    std::vector<WorkerPlan> plans(n);
    const bool open = spec.load.model == LoadModel::open;
    const std::uint64_t connections = static_cast<std::uint64_t>(open ? spec.http.connections : spec.load.vus);
    for (unsigned i = 0; i < n; ++i) {
        auto& p = plans[i];
        p.index = i;
        p.count = n;
        p.connections = static_cast<int>(share(connections, n, i));
        p.max_pending = static_cast<std::size_t>(share(spec.http.max_pending, n, i));
        if (!open && spec.load.requests) p.requests = share(*spec.load.requests, n, i);
    }
    return plans;
}

RunResult run_load(const RunSpec& spec) {
    const auto endpoints = resolve(spec.request.url);
    const auto tls = make_tls_context(spec);
    const std::string request_bytes = serialize_request(spec.request);

    const Clock_tp setup_done = SteadyClock::instance().now();
    const Clock_tp origin = setup_done + kStartLead;
    const std::int64_t start_unix_ms = unix_time_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(kStartLead).count();
    const Duration cpu_at_start = process_cpu_time();

    std::vector<std::unique_ptr<Worker>> workers;
    for (const auto& plan : plan_workers(spec))
        workers.push_back(std::make_unique<Worker>(plan, spec, endpoints, tls.get(), request_bytes, origin));

    // The calling thread waits for signals while the workers run.
    net::io_context control;
    net::signal_set signals(control, SIGINT, SIGTERM);
    bool interrupted = false;
    std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec, int) {
        if (ec) return;
        // A second signal cuts the grace period short.
        const Duration grace = interrupted ? Duration::zero() : kInterruptGrace;
        interrupted = true;
        for (auto& w : workers) w->stop(grace);
        signals.async_wait(on_signal);
    };
    signals.async_wait(on_signal);

    std::size_t running = workers.size();
    std::vector<std::exception_ptr> failures(workers.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < workers.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                workers[i]->run([&] {
                    net::post(control, [&] {
                        if (--running == 0) signals.cancel();
                    });
                });
            } catch (...) {
                failures[i] = std::current_exception();
            }
        });
    }
    control.run();
    for (auto& t : threads) t.join();
    for (auto& f : failures)
        if (f) std::rethrow_exception(f);

    MergeInputs in;
    in.info.url = spec.request.url.text;
    in.info.method = spec.request.method;
    in.info.open_model = spec.load.model == LoadModel::open;
    in.info.asked_rate_per_s = spec.load.rate_per_s;
    in.info.vus = spec.load.vus;
    in.info.connections = in.info.open_model ? spec.http.connections : spec.load.vus;
    in.info.threads = spec.threads;
    in.info.interval = spec.interval;
    in.info.asked_duration = spec.load.duration;
    in.info.asked_requests = spec.load.requests;
    in.origin = origin;
    in.start_unix_ms = start_unix_ms;
    in.cpu_time = process_cpu_time() - cpu_at_start;
    in.wall_time = SteadyClock::instance().now() - setup_done;
    in.interrupted = interrupted;
    std::vector<RunRecorder*> recorders;
    for (auto& w : workers) recorders.push_back(&w->recorder());
    RunResult result = merge_recorders(recorders, in);
    add_generator_warnings(result);
    return result;
}

}  // namespace faultline
