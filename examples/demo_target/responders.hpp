#pragma once
// Writing the response a RoutePlan describes. Included by session.cpp only (Beast types).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "examples/demo_target/reply.hpp"
#include "examples/demo_target/routes.hpp"

namespace faultline::demo {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

// Completion token of every awaited operation: errors come back as values.
inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

// Writes the response for `plan` (any kind but RouteKind::close) to `request`, which may be
// only partly parsed for bad_request plans. With keep_alive false the response says
// "Connection: close"; closing is the caller's job. Returns the write error, if any.
// Stream is boost::asio::ip::tcp::socket or boost::asio::ssl::stream of one.
template <class Stream>
boost::asio::awaitable<boost::beast::error_code> respond(Stream& stream, const RoutePlan& plan,
                                                         const Request& request, bool keep_alive);

// Writes `reply` (from a RequestHandler) as the answer to `request`: Server and
// Content-Length added, HEAD answered without the body, "Connection: close" unless keep_alive.
template <class Stream>
boost::asio::awaitable<boost::beast::error_code> write_reply(Stream& stream, const Reply& reply,
                                                             const Request& request, bool keep_alive);

}  // namespace faultline::demo
