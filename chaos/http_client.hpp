#pragma once
// A small synchronous HTTP/1.1 client (Beast, one connection per request) for the external
// Toxiproxy API and the services' http ready probes. Every request is bounded in time: a dead
// or black-holed server gives an error after `timeout`, never a hang.
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"

namespace faultline::chaos {

struct HttpUrl {
    std::string host;    // "127.0.0.1", "toxiproxy", "::1" (no brackets)
    std::string port;    // "8474"; "80" when the URL has none
    std::string target;  // the path and query, "" for "/"
};

// Parses an http:// URL; nullopt with `error` set otherwise (https is not supported).
std::optional<HttpUrl> parse_http_url(std::string_view url, std::string& error);

struct HttpOutcome {
    std::string error;  // empty on success: "connection refused", "timed out after 2s", ...
    int status = 0;
    std::string body;
};

// `target` is sent as is ("/proxies/db"). A JSON body is sent with Content-Type: application/json.
HttpOutcome http_request(const HttpUrl& server, std::string_view method, std::string_view target,
                         std::string_view body, Duration timeout);

// Connects to host:port and closes again; "" when the connection was accepted, else the error.
std::string tcp_connect_check(const std::string& host, const std::string& port, Duration timeout);

// Splits "host:port" / "[::1]:port"; false when there is no port.
bool split_host_port(std::string_view address, std::string& host, std::string& port);

}  // namespace faultline::chaos
