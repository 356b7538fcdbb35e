#pragma once
// The fault proxy engine in the test process: a ProxyRegistry and its Api on an io_context
// thread of their own (they are single-threaded), called from the test thread. Lets tests
// look at a proxy's live counters (ProxyStats), which `faultline proxy` does not export.
// Everything binds 127.0.0.1.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>

#include "faults/api.hpp"

namespace faultline::test {

class EmbeddedProxy {
public:
    explicit EmbeddedProxy(std::uint64_t seed = 1);
    ~EmbeddedProxy();
    EmbeddedProxy(const EmbeddedProxy&) = delete;
    EmbeddedProxy& operator=(const EmbeddedProxy&) = delete;

    // One Toxiproxy API call, handled on the engine's thread.
    faults::ApiReply call(const std::string& method, const std::string& path, const std::string& body = "");
    // Creates a proxy on 127.0.0.1:0 to 127.0.0.1:upstream_port; returns its listen port.
    std::uint16_t create_proxy(const std::string& name, std::uint16_t upstream_port);
    // A copy of the proxy's counters, taken on the engine's thread.
    faults::ProxyStats stats(const std::string& name);

private:
    template <class F>
    auto run_sync(F&& f) -> std::invoke_result_t<F&> {
        std::packaged_task<std::invoke_result_t<F&>()> task(std::forward<F>(f));
        auto result = task.get_future();
        boost::asio::post(io_, [&task] { task(); });
        return result.get();
    }

    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
    std::unique_ptr<faults::ProxyRegistry> registry_;  // used on thread_ only
    std::unique_ptr<faults::Api> api_;
    std::thread thread_;
};

}  // namespace faultline::test
