#include "faults/listen_address.hpp"

#include <boost/asio/io_context.hpp>
#include <charconv>
#include <fmt/format.h>

namespace faultline::faults {

namespace net = boost::asio;
using net::ip::tcp;

namespace {

bool parse_port(const std::string& text, unsigned short& port) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || value > 65535) return false;
    port = static_cast<unsigned short>(value);
    return true;
}

}  // namespace

ResolvedListen resolve_listen(const std::string& listen) {
    ResolvedListen out;
    if (listen.empty()) {  // Toxiproxy: all interfaces, random port
        out.endpoints.emplace_back(net::ip::address_v6::any(), 0);
        return out;
    }
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        out.error = fmt::format("address {}: missing port in address", listen);
        return out;
    }
    std::string host = listen.substr(0, colon);
    const std::string port_text = listen.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned short port = 0;
    if (!parse_port(port_text, port)) {
        out.error = fmt::format("address {}: invalid port", listen);
        return out;
    }
    if (host.empty()) {
        out.endpoints.emplace_back(net::ip::address_v6::any(), port);
    } else if (host == "localhost") {
        out.endpoints.emplace_back(net::ip::address_v4::loopback(), port);
        out.endpoints.emplace_back(net::ip::address_v6::loopback(), port);
    } else {
        boost::system::error_code ec;
        auto address = net::ip::make_address(host, ec);
        if (!ec) {
            out.endpoints.emplace_back(address, port);
        } else {
            net::io_context io;
            tcp::resolver resolver(io);
            auto results = resolver.resolve(host, port_text, ec);
            if (ec || results.empty()) {
                out.error = fmt::format("listen tcp: lookup {}: no such host", host);
                return out;
            }
            out.endpoints.push_back(results.begin()->endpoint());
        }
    }
    return out;
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    if (address.is_v4()) return fmt::format("{}:{}", address.to_string(), endpoint.port());
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return fmt::format("{}:{}", net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6()).to_string(),
                           endpoint.port());
    return fmt::format("[{}]:{}", address.to_string(), endpoint.port());
}

std::string canonical_listen(const std::string& listen) {
    auto resolved = resolve_listen(listen);
    if (!resolved.error.empty() || resolved.endpoints.empty()) return listen;
    return format_endpoint(resolved.endpoints.front());
}

}  // namespace faultline::faults
