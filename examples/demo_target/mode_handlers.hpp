#pragma once
// Builds the request handler of --mode backend or frontend (target mode has none: the
// session plans its routes itself).
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>

#include "examples/demo_target/options.hpp"
#include "examples/demo_target/request_handler.hpp"

namespace faultline::demo {

// Null for Mode::target. For the frontend, resolves --backend once (throws
// std::runtime_error if it does not resolve). `stopping` is the server's drain flag; the
// handler must be destroyed after `ioc`,
// and release_io() called before that.
std::unique_ptr<RequestHandler> make_mode_handler(const DemoOptions& options, boost::asio::io_context& ioc,
                                                  const std::atomic<bool>& stopping);

}  // namespace faultline::demo
