#pragma once
// What every connection of one worker shares: the reactor, the HTTP settings and the clock.
#include <boost/asio/io_context.hpp>

#include "common/clock.hpp"
#include "scenarios/run_spec.hpp"

namespace faultline {

struct WorkerShared {
    boost::asio::io_context& io;
    const HttpSettings& http;
    Duration connect_timeout;
    const Clock& clock;
};

}  // namespace faultline
