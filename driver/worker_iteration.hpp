#pragma once
// Worker::Iteration, shared by the worker's translation units.
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

}  // namespace faultline
