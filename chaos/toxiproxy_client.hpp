#pragma once
// An external Toxiproxy API (Toxiproxy itself or `faultline proxy`) reached over HTTP. Every
// call is bounded (2 s by default) and its errors name the URL.
#include "chaos/api_transport.hpp"
#include "chaos/http_client.hpp"

namespace faultline::chaos {

class ToxiproxyClient final : public ApiTransport {
public:
    // Throws SetupFailure when `url` is not an http:// URL.
    explicit ToxiproxyClient(std::string url, Duration timeout = std::chrono::seconds(2));

    ApiResponse call(const ApiCall& call) override;
    std::string describe() const override { return "toxiproxy " + url_; }
    std::string connect_host() const override { return server_.host; }

private:
    std::string url_;
    HttpUrl server_;
    Duration timeout_;
};

}  // namespace faultline::chaos
