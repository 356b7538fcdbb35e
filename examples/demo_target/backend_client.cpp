#include "examples/demo_target/backend_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace faultline::demo {

namespace net = boost::asio;
namespace http = boost::beast::http;
using boost::system::error_code;
using net::ip::tcp;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
constexpr std::uint64_t kMaxBodyBytes = 8 << 20;
using BackendRequest = http::request<http::string_body>;

// Errors that mean a reused keep-alive connection had been closed by the peer before this
// request reached it.
bool stale_connection(const error_code& ec) {
    return ec == http::error::end_of_stream || ec == net::error::connection_reset || ec == net::error::broken_pipe ||
           ec == net::error::eof;
}

BackendResult failed(BackendResult::Error error) {
    BackendResult result;
    result.error = error;
    return result;
}

}  // namespace

struct BackendPool::InUse {
    tcp::socket* socket = nullptr;
    bool deadline_passed = false;
};

BackendPool::BackendPool(net::any_io_executor executor, tcp::endpoint endpoint, std::string host, std::size_t max_idle)
    : executor_(std::move(executor)), endpoint_(endpoint), host_(std::move(host)), max_idle_(max_idle) {}

std::unique_ptr<tcp::socket> BackendPool::take_idle() {
    const std::lock_guard lock(mutex_);
    if (idle_.empty()) return nullptr;
    auto socket = std::move(idle_.back());
    idle_.pop_back();
    return socket;
}

void BackendPool::give_back(std::unique_ptr<tcp::socket> socket) {
    const std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle_) idle_.push_back(std::move(socket));
}

std::size_t BackendPool::idle() const {
    const std::lock_guard lock(mutex_);
    return idle_.size();
}

void BackendPool::close_idle() noexcept {
    const std::lock_guard lock(mutex_);
    idle_.clear();
}

// `request` is a BackendRequest (type-erased to keep Beast out of the header).
net::awaitable<BackendResult> BackendPool::attempt(const void* request, InUse& in_use) {
    const auto& req = *static_cast<const BackendRequest*>(request);
    // The deadline branch may run after this coroutine ends; it must never see a dead socket.
    struct Clear {
        InUse& in_use;
        ~Clear() { in_use.socket = nullptr; }
    } clear{in_use};
    for (int round = 0; round < 2; ++round) {
        auto socket = round == 0 ? take_idle() : nullptr;
        const bool reused = socket != nullptr;
        if (!socket) {
            socket = std::make_unique<tcp::socket>(executor_);
            in_use.socket = socket.get();
            if (auto [ec] = co_await socket->async_connect(endpoint_, use_tuple); ec) break;
            error_code ignored;
            socket->set_option(tcp::no_delay(true), ignored);
        }
        in_use.socket = socket.get();
        boost::beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(kMaxBodyBytes);
        auto [write_ec, written] = co_await http::async_write(*socket, req, use_tuple);
        error_code ec = write_ec;
        if (!ec) std::tie(ec, written) = co_await http::async_read(*socket, buffer, parser, use_tuple);
        in_use.socket = nullptr;
        if (!ec) {
            auto& res = parser.get();
            BackendResult result{.error = BackendResult::Error::none,
                                 .status = res.result_int(),
                                 .body = std::move(res.body()),
                                 .content_type = std::string(res[http::field::content_type])};
            if (res.keep_alive()) give_back(std::move(socket));
            co_return result;
        }
        if (!(reused && stale_connection(ec))) break;
    }
    co_return failed(BackendResult::Error::unreachable);
}

net::awaitable<BackendResult> BackendPool::call(http::verb method, std::string target, std::string body,
                                                std::string content_type, Duration timeout) {
    using namespace net::experimental::awaitable_operators;
    BackendRequest req{method, target, 11};
    req.set(http::field::host, host_);
    req.set(http::field::user_agent, "faultline-demo-frontend");
    if (!body.empty() || method == http::verb::put) {
        if (!content_type.empty()) req.set(http::field::content_type, content_type);
        req.body() = std::move(body);
        req.prepare_payload();
    }
    req.keep_alive(true);

    // The deadline closes the socket in use rather than relying on every layer honouring
    // cancellation: a closed socket ends any pending connect, write or read at once. Both
    // branches run on this coroutine's executor, so in_use needs no lock.
    InUse in_use;
    net::steady_timer timer(co_await net::this_coro::executor, timeout);
    auto deadline = [&]() -> net::awaitable<bool> {
        auto [ec] = co_await timer.async_wait(use_tuple);
        if (ec) co_return false;
        in_use.deadline_passed = true;
        if (in_use.socket != nullptr) {
            error_code ignored;
            in_use.socket->close(ignored);
        }
        co_return true;
    };
    auto outcome = co_await (attempt(&req, in_use) || deadline());
    if (outcome.index() == 0) {
        auto result = std::get<0>(std::move(outcome));
        if (in_use.deadline_passed) result.error = BackendResult::Error::timeout;
        co_return result;
    }
    co_return failed(std::get<1>(outcome) ? BackendResult::Error::timeout : BackendResult::Error::cancelled);
}

}  // namespace faultline::demo
