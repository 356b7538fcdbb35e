#pragma once
// A response as the backend and frontend logic decide it, before any Beast type: pure code
// returns a Reply and the I/O shell (handler_session.cpp) writes it.
#include <string>
#include <utility>
#include <vector>

namespace faultline::demo {

struct Reply {
    unsigned status = 200;
    std::string body;
    std::string content_type = "application/json";  // ignored when body is empty
    std::vector<std::pair<std::string, std::string>> headers;  // extra fields, in order
};

// {"error": message} with `status`.
Reply error_reply(unsigned status, std::string_view message);

// The value of header `name` in `reply`, or "" (for tests and the handlers).
std::string_view header_of(const Reply& reply, std::string_view name);

}  // namespace faultline::demo
