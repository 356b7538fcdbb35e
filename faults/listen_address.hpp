#pragma once
// Toxiproxy-style "host:port" listen strings: resolution to the addresses to bind and the
// canonical text the API reports. Blocking name resolution (listen strings are resolved on
// API calls, never on the data path).
#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <vector>

namespace faultline::faults {

struct ResolvedListen {
    // The first is the primary address; `localhost` also yields ::1 (bound best-effort on
    // the same port). Empty host = all interfaces.
    std::vector<boost::asio::ip::tcp::endpoint> endpoints;
    std::string error;  // Go-style message ("address x: missing port in address")
};

ResolvedListen resolve_listen(const std::string& listen);
// "127.0.0.1:80", "[::1]:80"; the IPv6 wildcard prints as "[::]:80" like Go.
std::string format_endpoint(const boost::asio::ip::tcp::endpoint& endpoint);
// The listen string after resolution (for "did it change?" comparisons); the input itself
// when it does not resolve.
std::string canonical_listen(const std::string& listen);

}  // namespace faultline::faults
