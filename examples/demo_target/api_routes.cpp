#include "examples/demo_target/api_routes.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace faultline::demo {
namespace {

constexpr std::string_view kTokenPrefix = "tok-";

ApiResponse error_response(unsigned status, std::string_view message) {
    boost::json::object body;
    body["error"] = message;
    return {status, boost::json::serialize(body), {}};
}

ApiResponse method_not_allowed(std::string_view allowed) {
    auto r = error_response(405, "method not allowed");
    r.headers.emplace_back("Allow", std::string(allowed));
    return r;
}

boost::json::array item_list() {
    boost::json::array items;
    int id = 0;
    for (const char* name : {"apple", "bread", "cheese"})
        items.push_back(boost::json::object{{"id", ++id}, {"name", name}});
    return items;
}

}  // namespace

ApiResponse login_response(std::string_view method, std::string_view body) {
    if (method != "POST") return method_not_allowed("POST");
    boost::system::error_code ec;
    const auto doc = boost::json::parse(body, ec);
    const auto* obj = ec ? nullptr : doc.if_object();
    const auto* user = obj ? obj->if_contains("user") : nullptr;
    if (!user || !user->is_string() || user->as_string().empty())
        return error_response(400, "the body must be JSON with a non-empty \"user\" string");
    const std::string name(user->as_string());
    boost::json::object reply;
    reply["token"] = std::string(kTokenPrefix) + name;
    // The cookie value is only used as an opaque string by the examples; spaces and
    // semicolons in a user name would break the header, so they are replaced.
    std::string cookie = name;
    for (auto& c : cookie)
        if (c == ';' || c == ' ' || c == ',' || static_cast<unsigned char>(c) < 0x20) c = '_';
    return {200, boost::json::serialize(reply), {{"Set-Cookie", "session=sess-" + cookie + "; Path=/"}}};
}

ApiResponse cart_response(std::string_view method, std::string_view authorization) {
    if (method != "GET" && method != "HEAD") return method_not_allowed("GET, HEAD");
    constexpr std::string_view kBearer = "Bearer ";
    const bool ok = authorization.starts_with(kBearer) &&
                    authorization.substr(kBearer.size()).starts_with(kTokenPrefix) &&
                    authorization.size() > kBearer.size() + kTokenPrefix.size();
    if (!ok) {
        auto r = error_response(401, "send Authorization: Bearer tok-NAME (POST /login returns the token)");
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
    boost::json::object reply;
    reply["user"] = authorization.substr(kBearer.size() + kTokenPrefix.size());
    reply["items"] = item_list();
    return {200, boost::json::serialize(reply), {}};
}

ApiResponse items_response(std::string_view method) {
    if (method != "GET" && method != "HEAD") return method_not_allowed("GET, HEAD");
    boost::json::object reply;
    reply["items"] = item_list();
    return {200, boost::json::serialize(reply), {}};
}

ApiResponse api_response(RouteKind kind, std::string_view method, std::string_view authorization,
                         std::string_view body) {
    switch (kind) {
    case RouteKind::login: return login_response(method, body);
    case RouteKind::cart: return cart_response(method, authorization);
    default: return items_response(method);
    }
}

}  // namespace faultline::demo
