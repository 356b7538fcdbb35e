#pragma once
// One way to reach a Toxiproxy API: the embedded engine or an external server. Both take the
// same REST calls, so every fault behaves the same on either.
#include <stdexcept>
#include <string>

namespace faultline::chaos {

struct ApiCall {
    std::string method;  // "GET", "POST", "DELETE"
    std::string path;    // "/proxies/db/toxics"
    std::string body;    // JSON, or empty
    friend bool operator==(const ApiCall&, const ApiCall&) = default;
};

struct ApiResponse {
    int status = 0;
    std::string body;
};

// No reply at all (connection refused, timeout, engine stopped). The message names the server.
struct TransportError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class ApiTransport {
public:
    virtual ~ApiTransport() = default;
    // Thread-safe and bounded in time. Throws TransportError when there is no reply; any
    // reply (4xx/5xx included) is returned.
    virtual ApiResponse call(const ApiCall& call) = 0;
    // "embedded proxy" or "toxiproxy http://127.0.0.1:8474", for messages.
    virtual std::string describe() const = 0;
    // The host to put in front of a wildcard listen address ("0.0.0.0:41234") so the address
    // can be connected to: 127.0.0.1 for the embedded engine, the URL's host otherwise.
    virtual std::string connect_host() const = 0;
};

}  // namespace faultline::chaos
