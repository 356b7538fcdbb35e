#include "tests/faults/support/embedded_proxy.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <chrono>

#include "faults/sleep_clock.hpp"

namespace faultline::test {

EmbeddedProxy::EmbeddedProxy(std::uint64_t seed) : thread_([this] { io_.run(); }) {
    run_sync([&] {
        registry_ = std::make_unique<faults::ProxyRegistry>(io_.get_executor(), faults::SteadySleepClock::instance(), seed);
        api_ = std::make_unique<faults::Api>(*registry_);
    });
}

EmbeddedProxy::~EmbeddedProxy() {
    // Closed and destroyed on its own thread; then the loop finishes the connections'
    // coroutines (bounded: stopped after 5 s if anything is still pending).
    run_sync([&] {
        api_.reset();
        registry_.reset();
    });
    work_.reset();
    auto drained = std::async(std::launch::async, [this] { thread_.join(); });
    if (drained.wait_for(std::chrono::seconds(5)) != std::future_status::ready) io_.stop();
    drained.wait();
}

faults::ApiReply EmbeddedProxy::call(const std::string& method, const std::string& path, const std::string& body) {
    return run_sync([&] { return api_->handle(faults::ApiRequest{method, path, body, "faultline-tests"}); });
}

std::uint16_t EmbeddedProxy::create_proxy(const std::string& name, std::uint16_t upstream_port) {
    auto reply = call("POST", "/proxies",
                      R"({"name":")" + name + R"(","listen":"127.0.0.1:0","upstream":"127.0.0.1:)" +
                          std::to_string(upstream_port) + R"("})");
    INFO(reply.body);
    REQUIRE(reply.status == 201);
    const std::string listen(boost::json::parse(reply.body).at("listen").as_string());
    return static_cast<std::uint16_t>(std::stoi(listen.substr(listen.rfind(':') + 1)));
}

faults::ProxyStats EmbeddedProxy::stats(const std::string& name) {
    return run_sync([&] {
        auto proxy = registry_->find(name);
        return proxy ? proxy->stats() : faults::ProxyStats{};
    });
}

}  // namespace faultline::test
