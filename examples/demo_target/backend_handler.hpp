#pragma once
// --mode backend: the key/value API of kv_api.hpp with the injected latency, jitter and
// error rate of the target mode (/health excepted).
#include "examples/demo_target/kv_store.hpp"
#include "examples/demo_target/request_handler.hpp"

namespace faultline::demo {

class BackendHandler final : public RequestHandler {
public:
    BackendHandler() = default;
    boost::asio::awaitable<Reply> handle(const Request& request, ResponseFaults& faults) override;

private:
    KvStore store_;
};

}  // namespace faultline::demo
