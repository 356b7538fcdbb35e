#include "scenarios/target_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <fmt/format.h>

namespace faultline {

Parsed<TargetUrl> parse_target_url(std::string_view text) {
    const auto bad = [&](std::string why) {
        return Parsed<TargetUrl>{std::nullopt, fmt::format("'{}' is not a usable URL: {}", text, why)};
    };
    auto parsed = boost::urls::parse_absolute_uri(text);
    if (!parsed) return bad("expected http://host[:port]/path or https://...");
    const boost::urls::url_view& u = *parsed;
    TargetUrl t;
    t.text = std::string(text);
    const auto scheme = u.scheme();
    if (scheme == "https") t.tls = true;
    else if (scheme != "http") return bad(fmt::format("unsupported scheme '{}' (use http or https)", scheme));
    if (u.has_userinfo()) return bad("user info in the URL is not supported; send an Authorization header");
    if (u.host_type() == boost::urls::host_type::none || u.encoded_host().empty()) return bad("no host");
    if (u.host_type() == boost::urls::host_type::ipv6) t.host = std::string(u.host_ipv6_address().to_string());
    else t.host = std::string(u.encoded_host());
    const std::string default_port = t.tls ? "443" : "80";
    if (u.has_port()) {
        if (u.port_number() == 0) return bad(fmt::format("invalid port '{}'", u.port()));
        t.port = std::string(u.port());
    } else {
        t.port = default_port;
    }
    // IPv6 literals keep their brackets in Host; a default port is left out, as browsers do.
    t.host_header = std::string(u.encoded_host());
    if (t.port != default_port) t.host_header += ":" + t.port;
    t.target = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
    if (u.has_query()) t.target += "?" + std::string(u.encoded_query());
    return {std::move(t), {}};
}

}  // namespace faultline
