#pragma once
// The Toxiproxy 2.12 HTTP API as a pure function of (method, target, body, user agent) over
// a ProxyRegistry: routing, status codes, bodies and content types. api_server.cpp puts it
// on a socket. Single-threaded, like the registry.
#include <boost/json/value.hpp>
#include <string>
#include <vector>
#include <string_view>

#include "faults/proxy_registry.hpp"

namespace faultline::faults {

inline constexpr std::string_view kToxiproxyVersion = "2.12.0";

struct ApiRequest {
    std::string_view method;  // "GET", "POST", ...
    std::string_view target;  // "/proxies/redis?x=1"
    std::string_view body;
    std::string_view user_agent;
};

struct ApiReply {
    int status = 200;
    std::string content_type;  // empty with an empty body
    std::string body;
    bool nosniff = false;  // X-Content-Type-Options: nosniff (Go's http.Error)
    bool www_authenticate = false;  // WWW-Authenticate: Bearer (401 from --api-token)
};

class Api {
public:
    explicit Api(ProxyRegistry& registry) : registry_(registry) {}
    ApiReply handle(const ApiRequest& request);

private:
    ApiReply route(std::string_view method, const std::vector<std::string>& parts, std::string_view body);
    ApiReply list_proxies();
    ApiReply create_proxy(std::string_view body);
    ApiReply populate(std::string_view body);
    ApiReply update_proxy(Proxy& proxy, std::string_view body);
    ApiReply delete_proxy(const std::string& name);
    ApiReply reset();
    ApiReply list_toxics(const Proxy& proxy);
    ApiReply create_toxic(Proxy& proxy, std::string_view body);
    ApiReply update_toxic(Proxy& proxy, const ToxicSpec& toxic, std::string_view body);

    ProxyRegistry& registry_;
};

ApiReply json_reply(int status, const boost::json::value& value);
ApiReply error_reply(int status, std::string_view message);

}  // namespace faultline::faults
