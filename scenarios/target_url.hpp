#pragma once
// An http:// or https:// URL split into what a connection needs.
#include <string>
#include <string_view>

#include "common/units.hpp"

namespace faultline {

struct TargetUrl {
    std::string text;         // as given
    bool tls = false;
    std::string host;         // without brackets for IPv6 literals
    std::string port;         // explicit or the scheme's default
    std::string host_header;  // Host: value (host, plus :port when not the default)
    std::string target;       // origin-form request target: path (at least "/") + ?query
};

// Rejects other schemes, user info, missing hosts and fragments-only mistakes with a
// message a user can act on.
Parsed<TargetUrl> parse_target_url(std::string_view text);

}  // namespace faultline
