#include "examples/demo_target/backend_handler.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/clock.hpp"
#include "examples/demo_target/kv_api.hpp"

namespace faultline::demo {

namespace net = boost::asio;
namespace http = boost::beast::http;

net::awaitable<Reply> BackendHandler::handle(const Request& request, ResponseFaults& faults) {
    const auto target = std::string_view(request.target());
    if (faults_apply(target)) {
        faults.note_request(SteadyClock::instance().now());
        if (const auto delay = faults.next_delay(); delay > std::chrono::nanoseconds::zero()) {
            net::steady_timer timer(co_await net::this_coro::executor, delay);
            co_await timer.async_wait(net::as_tuple(net::use_awaitable));
        }
        if (const auto hold = faults.stall_hold(SteadyClock::instance().now()); hold > std::chrono::nanoseconds::zero()) {
            net::steady_timer timer(co_await net::this_coro::executor, hold);
            co_await timer.async_wait(net::as_tuple(net::use_awaitable));
        }
        // A failed request changes nothing, as a real store that errors before committing.
        if (faults.next_error()) co_return error_reply(500, "injected error");
    }
    co_return kv_answer(store_, std::string_view(request.method_string()), target,
                        std::string_view(request[http::field::content_type]), request.body());
}

}  // namespace faultline::demo
