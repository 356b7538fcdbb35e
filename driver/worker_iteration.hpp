#pragma once
// Worker::Iteration, shared by the worker's translation units.
#include <boost/asio/steady_timer.hpp>
#include <string>
#include <vector>

#include "driver/request_bytes.hpp"
#include "driver/worker.hpp"

namespace faultline {

// One iteration's variables and buffers. A closed-model VU reuses its own, so their
// capacity carries over and rendering stops allocating after the first iterations.
struct Worker::Iteration {
    std::uint64_t number = 0;
    std::uint64_t vu = 0;
    std::vector<std::string> slots;
    std::vector<const std::vector<std::string>*> rows;
    std::string url, request, body;
    std::vector<std::string> header_values;
    std::vector<HeaderView> headers;
    ResponseCapture capture;
    RunRecorder* total = nullptr;
};

// Open model: a coroutine that runs one arrival's iteration at a time and then waits, idle,
// for the scheduler to hand it the next. Lanes are created only while every existing one is
// busy, so their number follows the peak concurrency and the steady state spawns nothing
// (a coroutine per arrival costs a frame and a handler allocation each).
struct Worker::Lane {
    explicit Lane(boost::asio::io_context& io) : wake(io, boost::asio::steady_timer::time_point::max()) {}
    boost::asio::steady_timer wake;  // cancelled to hand the lane its next arrival
    Clock_tp arrival{};
    std::uint64_t number = 0;
    bool assigned = false;
    Iteration it;  // buffers keep their capacity from one arrival to the next
};

}  // namespace faultline
