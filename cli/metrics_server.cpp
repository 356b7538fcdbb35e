#include "cli/metrics_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <unordered_set>

#include "common/task_group.hpp"
#include "faults/listen_address.hpp"
#include "reports/prometheus_text.hpp"

namespace faultline {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using net::ip::tcp;

namespace {
constexpr auto use = net::as_tuple(net::use_awaitable);
}  // namespace

// Everything but `page` lives on the server thread; `page` is shared with update().
struct MetricsServer::State {
    net::io_context io{1};
    tcp::acceptor acceptor{io};
    TaskGroup tasks;
    std::unordered_set<beast::tcp_stream*> sessions;
    bool stopped = false;
    unsigned short port = 0;  // set before the thread starts, read-only after
    std::mutex page_mutex;
    std::string page;
    std::thread thread;

    std::string current_page() {
        std::lock_guard lock(page_mutex);
        return page;
    }

    http::response<http::string_body> respond(const http::request<http::string_body>& req) {
        const auto target = req.target();
        const auto path = target.substr(0, target.find('?'));
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.keep_alive(req.keep_alive());
        if (path != "/metrics") {
            res.result(http::status::not_found);
            res.set(http::field::content_type, "text/plain; charset=utf-8");
            res.body() = "404 page not found: try /metrics\n";
        } else if (req.method() != http::verb::get && req.method() != http::verb::head) {
            res.result(http::status::method_not_allowed);
            res.set(http::field::allow, "GET, HEAD");
        } else {
            res.set(http::field::content_type, kPrometheusContentType);
            res.body() = current_page();
        }
        res.prepare_payload();
        if (req.method() == http::verb::head) res.body().clear();
        return res;
    }

    net::awaitable<void> accept_loop() {
        while (!stopped) {
            auto [ec, socket] = co_await acceptor.async_accept(use);
            if (stopped) co_return;
            if (ec) continue;
            tasks.spawn(io, session(beast::tcp_stream(std::move(socket))));
        }
    }

    net::awaitable<void> session(beast::tcp_stream stream) {
        sessions.insert(&stream);
        beast::flat_buffer buffer;
        while (!stopped) {
            http::request<http::string_body> req;
            stream.expires_after(std::chrono::seconds(60));
            auto [ec, n] = co_await http::async_read(stream, buffer, req, use);
            if (ec || stopped) break;
            auto res = respond(req);
            stream.expires_after(std::chrono::seconds(30));
            auto [wec, wn] = co_await http::async_write(stream, res, use);
            if (wec || !res.keep_alive()) break;
        }
        sessions.erase(&stream);
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    void stop() {
        stopped = true;
        boost::system::error_code ignored;
        acceptor.close(ignored);
        for (auto* stream : sessions) stream->socket().close(ignored);
    }
};

MetricsServer::MetricsServer(const std::string& listen) : state_(std::make_unique<State>()) {
    const auto resolved = faults::resolve_listen(listen);
    if (!resolved.error.empty()) throw std::runtime_error(fmt::format("--metrics-listen {}: {}", listen, resolved.error));
    if (resolved.endpoints.empty()) throw std::runtime_error(fmt::format("--metrics-listen {}: no address", listen));
    const auto endpoint = resolved.endpoints.front();
    auto& a = state_->acceptor;
    boost::system::error_code ec;
    a.open(endpoint.protocol(), ec);
    if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) a.bind(endpoint, ec);
    if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error(fmt::format("--metrics-listen {}: cannot listen: {}", listen, ec.message()));
    state_->port = a.local_endpoint(ec).port();
    state_->tasks.spawn(state_->io, state_->accept_loop());
    // The loop ends once stop() has closed the acceptor and every session: no work is left.
    state_->thread = std::thread([s = state_.get()] { s->io.run(); });
}

MetricsServer::~MetricsServer() {
    net::post(state_->io, [s = state_.get()] { s->stop(); });
    state_->thread.join();
}

void MetricsServer::update(std::string text) {
    std::lock_guard lock(state_->page_mutex);
    state_->page = std::move(text);
}

unsigned short MetricsServer::port() const { return state_->port; }

}  // namespace faultline
