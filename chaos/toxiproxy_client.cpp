#include "chaos/toxiproxy_client.hpp"

#include <fmt/format.h>

#include "chaos/setup_failure.hpp"

namespace faultline::chaos {

ToxiproxyClient::ToxiproxyClient(std::string url, Duration timeout) : url_(std::move(url)), timeout_(timeout) {
    std::string error;
    auto parsed = parse_http_url(url_, error);
    if (!parsed) throw SetupFailure("toxiproxy: " + error);
    server_ = std::move(*parsed);
    while (!server_.target.empty() && server_.target.back() == '/') server_.target.pop_back();
}

ApiResponse ToxiproxyClient::call(const ApiCall& call) {
    // A URL with a path ("http://host/toxiproxy") is a prefix in front of the API's routes.
    auto outcome = http_request(server_, call.method, server_.target + call.path, call.body, timeout_);
    if (!outcome.error.empty())
        throw TransportError(fmt::format("toxiproxy {}: {} {}: {}", url_, call.method, call.path, outcome.error));
    return ApiResponse{outcome.status, std::move(outcome.body)};
}

}  // namespace faultline::chaos
