#include "examples/demo_target/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>

#include <csignal>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include "examples/demo_target/connection_group.hpp"
#include "examples/demo_target/mode_handlers.hpp"
#include "examples/demo_target/responders.hpp"
#include "examples/demo_target/session.hpp"
#include "examples/demo_target/tls_certs.hpp"

namespace faultline::demo {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using net::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kDrainPoll{10};
constexpr int kTerminalPolls = 100;  // after --drain-timeout, 1 s more, then the io_context is stopped

std::unique_ptr<ssl::context> make_tls_context(const std::string& ca_out) {
    const DemoCertificates certs = generate_demo_certificates();
    {
        std::ofstream out(ca_out, std::ios::binary | std::ios::trunc);
        out << certs.ca_cert_pem;
        out.close();
        if (!out) throw std::runtime_error("--ca-out: cannot write '" + ca_out + "'");
    }
    auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    const std::string chain = certs.server_cert_pem + certs.ca_cert_pem;
    context->use_certificate_chain(net::buffer(chain));
    context->use_private_key(net::buffer(certs.server_key_pem), ssl::context::pem);
    return context;
}

// Completion handler for the server's own coroutines: reports an escaped exception.
auto report_failure(const char* what) {
    return [what](std::exception_ptr error) {
        if (!error) return;
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            std::cerr << "faultline-demo-target: " << what << " failed: " << e.what() << '\n';
        }
    };
}

class DemoServer {
public:
    DemoServer(net::io_context& ioc, const DemoOptions& options, ssl::context* tls)
        : ioc_(ioc),
          strand_(net::make_strand(ioc)),
          acceptor_(strand_),
          signals_(strand_, SIGINT, SIGTERM),
          multi_threaded_(options.threads > 1),
          // --drain-timeout for responses in progress, then terminal cancellation.
          graceful_polls_(static_cast<int>((options.drain_timeout + kDrainPoll - std::chrono::nanoseconds(1)) / kDrainPoll)),
          stall_(options.faults),
          session_context_{.faults = options.faults, .stopping = &stopping_, .tls = tls, .stall = &stall_} {
        const tcp::endpoint endpoint(net::ip::make_address(options.host), options.port);
        acceptor_.open(endpoint.protocol());
        acceptor_.set_option(net::socket_base::reuse_address(true));
        acceptor_.bind(endpoint);
        acceptor_.listen(net::socket_base::max_listen_connections);
    }

    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    const std::atomic<bool>& stopping() const { return stopping_; }
    // Before start(): the handler of --mode backend or frontend (null: target routes).
    void set_handler(RequestHandler* handler) { session_context_.handler = handler; }

    void start() {
        signals_.async_wait([this](const boost::system::error_code& ec, int) {
            if (!ec) stop();
        });
        net::co_spawn(strand_, accept_loop(), report_failure("accept loop"));
    }

private:
    net::awaitable<void> accept_loop() {
        net::steady_timer backoff(strand_);
        for (;;) {
            // One thread needs no strand per connection; several do (architecture.md §10.8).
            const net::any_io_executor executor =
                multi_threaded_ ? net::any_io_executor(net::make_strand(ioc_)) : ioc_.get_executor();
            auto [ec, socket] = co_await acceptor_.async_accept(executor, use_tuple);
            if (stopping_.load() || ec == net::error::operation_aborted) co_return;
            if (ec) {
                // Typically EMFILE: back off instead of spinning on the error.
                std::cerr << "faultline-demo-target: accept: " << ec.message() << '\n';
                backoff.expires_after(std::chrono::milliseconds(50));
                co_await backoff.async_wait(use_tuple);
                continue;
            }
            boost::system::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            net::co_spawn(executor, run_session(std::move(socket), session_context_, next_connection_id_++),
                          connections_.adapt(executor));
        }
    }

    // Runs on strand_: no new connections, idle ones close, busy ones finish their response.
    void stop() {
        stopping_.store(true);
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        connections_.cancel_all(net::cancellation_type::total);
        signals_.async_wait([this](const boost::system::error_code& ec, int) {
            if (!ec) connections_.cancel_all(net::cancellation_type::terminal);
        });
        net::co_spawn(strand_, drain(), report_failure("shutdown"));
    }

    // Polling is fine here: it only runs during shutdown, and bounds it.
    net::awaitable<void> drain() {
        net::steady_timer timer(strand_);
        for (int i = 0; i < graceful_polls_ + kTerminalPolls && connections_.size() > 0; ++i) {
            if (i == graceful_polls_) connections_.cancel_all(net::cancellation_type::terminal);
            timer.expires_after(kDrainPoll);
            co_await timer.async_wait(use_tuple);
        }
        boost::system::error_code ignored;
        signals_.cancel(ignored);
        if (connections_.size() > 0) ioc_.stop();
    }

    net::io_context& ioc_;
    net::strand<net::io_context::executor_type> strand_;
    tcp::acceptor acceptor_;
    net::signal_set signals_;
    bool multi_threaded_;
    int graceful_polls_;
    std::atomic<bool> stopping_{false};
    StallWindow stall_;  // shared by every connection
    SessionContext session_context_;
    std::uint64_t next_connection_id_ = 0;
    ConnectionGroup connections_;
};

}  // namespace

int run_demo_server(const DemoOptions& options) {
    std::unique_ptr<ssl::context> tls;
    if (options.tls) tls = make_tls_context(options.ca_out);

    // Declared before ioc, so it outlives the coroutine frames the io_context destroys
    // after a forced stop; release_io() drops its sockets while the io_context still exists.
    std::unique_ptr<RequestHandler> handler;
    net::io_context ioc(static_cast<int>(options.threads));
    DemoServer server(ioc, options, tls.get());
    handler = make_mode_handler(options, ioc, server.stopping());
    server.set_handler(handler.get());
    const bool v6 = options.host.find(':') != std::string::npos;
    std::cout << "listening on " << (tls ? "https" : "http") << "://" << (v6 ? "[" : "") << options.host
              << (v6 ? "]" : "") << ':' << server.port() << std::endl;
    server.start();

    std::vector<std::jthread> extra_threads;
    for (unsigned i = 1; i < options.threads; ++i) extra_threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& thread : extra_threads) thread.join();
    if (handler) handler->release_io();
    return 0;
}

}  // namespace faultline::demo
