#pragma once
// One origin (scheme, host, port) that steps send to: its resolved addresses and, for
// https, the TLS context. A worker keeps one connection pool per origin.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <string>
#include <vector>

#include "scenarios/target_url.hpp"

namespace faultline {

struct HostTarget {
    std::string key;  // "https://host:port": what makes two URLs share a pool
    TargetUrl url;    // host/port/tls of the origin (its target path is not used)
    std::vector<boost::asio::ip::tcp::endpoint> endpoints;
    boost::asio::ssl::context* tls = nullptr;  // null for http://
};

inline std::string origin_key(const TargetUrl& u) {
    return (u.tls ? "https://" : "http://") + u.host + ":" + u.port;
}

}  // namespace faultline
