#pragma once
// Shared by the demo target tests: launching faultline-demo-target on port 0 (bounded by a
// watchdog that SIGKILLs it after kMaxTestWait, which turns a hung client call into a
// connection error) and a plain synchronous Beast client over TCP or TLS.
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <fmt/core.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "tests/support/child_process.hpp"

namespace faultline::test::examples {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
namespace fs = std::filesystem;
using net::ip::tcp;
using namespace std::chrono_literals;

inline constexpr auto kMaxTestWait = 20s;
using Response = http::response<http::string_body>;

// SIGKILLs `pid` after kMaxTestWait unless disarmed first.
class Watchdog {
public:
    explicit Watchdog(pid_t pid)
        : thread_([this, pid] {
              std::unique_lock lock(mutex_);
              if (!changed_.wait_for(lock, kMaxTestWait, [this] { return disarmed_; })) {
                  std::fprintf(stderr, "watchdog: killing demo target %d after %llds\n", static_cast<int>(pid),
                               static_cast<long long>(kMaxTestWait.count()));
                  ::kill(pid, SIGKILL);
              }
          }) {}
    ~Watchdog() { disarm(); }
    void disarm() {
        {
            const std::lock_guard lock(mutex_);
            disarmed_ = true;
        }
        changed_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool disarmed_ = false;
    std::jthread thread_;  // last: started once the members it uses exist
};

// A running faultline-demo-target and its port.
class DemoTarget {
public:
    explicit DemoTarget(std::vector<std::string> flags, std::optional<fs::path> working_dir = std::nullopt)
        : process_(launch(std::move(flags), std::move(working_dir))), watchdog_(process_.pid()) {
        const auto line = process_.read_line_until("listening on ", kMaxTestWait);
        INFO("stderr: " << process_.stderr_text());
        REQUIRE(line);
        port_ = faultline::test::port_from_listening_line(*line);
        REQUIRE(port_ != 0);
        listening_line_ = *line;
    }

    std::uint16_t port() const { return port_; }
    const std::string& listening_line() const { return listening_line_; }
    ChildProcess& process() { return process_; }

    // Sends `signal` and waits (bounded) for the exit.
    std::optional<ExitStatus> stop(int signal) {
        REQUIRE(process_.send_signal(signal));
        return wait();
    }
    std::optional<ExitStatus> wait() {
        auto status = process_.wait(kMaxTestWait);
        watchdog_.disarm();
        return status;
    }
    // Everything the target wrote to stderr, once it has exited.
    std::string stderr_after_exit() {
        REQUIRE(process_.wait_for_output_end(kMaxTestWait));
        return process_.stderr_text();
    }

private:
    static ChildProcess launch(std::vector<std::string> flags, std::optional<fs::path> working_dir) {
        flags.insert(flags.begin(), FAULTLINE_DEMO_TARGET);
        return ChildProcess(ChildOptions{.argv = std::move(flags), .env = {}, .working_dir = std::move(working_dir)});
    }

    ChildProcess process_;
    Watchdog watchdog_;  // destroyed before process_ reaps the child
    std::uint16_t port_ = 0;
    std::string listening_line_;
};

// Options for a target that answers at once and never fails.
inline std::vector<std::string> quiet(std::vector<std::string> extra = {}) {
    std::vector<std::string> flags{"--port", "0", "--latency", "0", "--jitter", "0", "--error-rate", "0"};
    flags.insert(flags.end(), extra.begin(), extra.end());
    return flags;
}

inline http::request<http::string_body> make_request(http::verb method, std::string_view target, std::string body = {}) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!body.empty() || method == http::verb::post) {
        req.body() = std::move(body);
        req.prepare_payload();
    }
    return req;
}

// A keep-alive connection. Stream is tcp::socket or ssl::stream<tcp::socket>.
template <class Stream>
class Client {
public:
    template <class... Args>
    explicit Client(std::uint16_t port, Args&&... stream_args) : stream_(ioc_, std::forward<Args>(stream_args)...) {
        boost::beast::get_lowest_layer(stream_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    }

    Stream& stream() { return stream_; }

    void send(const http::request<http::string_body>& req) { http::write(stream_, req); }

    Response receive(bool head = false) {
        http::response_parser<http::string_body> parser;
        parser.body_limit(128 << 20);
        parser.skip(head);
        http::read(stream_, buffer_, parser);
        return parser.release();
    }

    Response get(std::string_view target) {
        send(make_request(http::verb::get, target));
        return receive();
    }

    // The error of the next read: expected to be end_of_stream after the server closed.
    boost::system::error_code read_error() {
        Response res;
        boost::system::error_code ec;
        http::read(stream_, buffer_, res, ec);
        return ec;
    }

private:
    net::io_context ioc_;
    Stream stream_;
    boost::beast::flat_buffer buffer_;
};
using PlainClient = Client<tcp::socket>;
using TlsClient = Client<ssl::stream<tcp::socket>>;

// A client TLS context that verifies the peer against `ca` only.
inline ssl::context verifying_context(const fs::path& ca) {
    ssl::context context(ssl::context::tls_client);
    context.set_verify_mode(ssl::verify_peer);
    context.load_verify_file(ca.string());
    return context;
}

inline void log_timing(std::string_view what, std::chrono::nanoseconds measured, std::chrono::nanoseconds low,
                std::chrono::nanoseconds high) {
    using ms = std::chrono::duration<double, std::milli>;
    fmt::print("{}: measured {:.1f} ms, expected [{:.1f}, {:.1f}] ms\n", what, ms(measured).count(), ms(low).count(),
               ms(high).count());
}

// max(10 ms, 10 %) of `expected` (architecture.md §10.14).
inline std::chrono::nanoseconds tolerance(std::chrono::nanoseconds expected) { return std::max<std::chrono::nanoseconds>(10ms, expected / 10); }

inline fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "faultline-demo-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    return pattern;
}


}  // namespace faultline::test::examples
