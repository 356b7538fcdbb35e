#pragma once
// The small JSON API the scenario examples log in to and browse. Pure (request parts in,
// response out) so unit tests cover it without a socket; responders.cpp writes the result.
//
//   POST /login  {"user": "NAME"}   200 {"token":"tok-NAME"} + Set-Cookie: session=sess-NAME
//                                   400 when the body is not JSON with a non-empty "user" string;
//                                   405 for other methods
//   GET  /cart   Authorization: Bearer tok-NAME   200 {"user":"NAME","items":[...]}; else 401
//   GET  /items                                   200 {"items":[{"id":1,"name":"apple"},...]}
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "examples/demo_target/routes.hpp"

namespace faultline::demo {

struct ApiResponse {
    unsigned status = 200;
    std::string body;  // JSON text
    std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type
};

ApiResponse login_response(std::string_view method, std::string_view body);
ApiResponse cart_response(std::string_view method, std::string_view authorization);
ApiResponse items_response(std::string_view method);

// Dispatches on kind (RouteKind::login, cart or items).
ApiResponse api_response(RouteKind kind, std::string_view method, std::string_view authorization,
                         std::string_view body);

}  // namespace faultline::demo
