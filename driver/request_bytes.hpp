#pragma once
// HTTP/1.1 request serialisation. Static requests are serialised once per run; templated
// ones are rendered into a buffer that keeps its capacity between requests.
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "scenarios/run_spec.hpp"

namespace faultline {

using HeaderView = std::pair<std::string_view, std::string_view>;

// Appends the request to out. Adds Host, User-Agent and Accept unless given, Content-Length
// when there is a body or the method usually carries one, and `Connection: close` when
// keep_alive is false.
void append_request(std::string& out, std::string_view method, const TargetUrl& url, std::span<const HeaderView> headers,
                    std::string_view body, bool keep_alive = true);

// The same for a RequestSpec, as a new string.
std::string serialize_request(const RequestSpec& spec);

}  // namespace faultline
