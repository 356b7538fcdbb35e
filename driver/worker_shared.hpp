#pragma once
// What every connection of one worker shares: the reactor, the run's settings, the
// resolved target, the pre-serialised request and the worker's recorder.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "reports/run_recorder.hpp"
#include "scenarios/run_spec.hpp"

namespace faultline {

struct WorkerShared {
    boost::asio::io_context& io;
    const RunSpec& spec;
    const std::vector<boost::asio::ip::tcp::endpoint>& endpoints;
    boost::asio::ssl::context* tls;  // null for http://
    const std::string& request_bytes;
    bool head_request;
    RunRecorder& recorder;
    const Clock& clock;
};

}  // namespace faultline
