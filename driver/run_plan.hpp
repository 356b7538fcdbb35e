#pragma once
// A scenario prepared for running, shared read-only by every worker: literal origins
// resolved once, static requests serialised once, flows flattened to step indexes.
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "driver/host_target.hpp"
#include "scenarios/scenario.hpp"

namespace faultline {

// The run could not start (a name does not resolve, a CA file is unreadable): exit code 3.
class SetupError : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct PlannedStep {
    const HttpStep* step = nullptr;
    int index = 0;                // position in RunPlan::steps, also its recorder
    int host = -1;                // index into RunPlan::hosts when the URL is literal
    TargetUrl url;                // when the URL is literal
    bool is_static = false;       // request bytes are the same for every iteration
    std::string static_bytes;
    bool capture = false;         // checks or extractions need head/body
    bool head_request = false;
};

struct RunPlan {
    const Scenario* scenario = nullptr;
    std::unique_ptr<boost::asio::ssl::context> tls;  // shared by every https origin
    std::vector<HostTarget> hosts;
    std::vector<PlannedStep> steps;
    std::vector<std::vector<int>> flows;  // per flow, per Step: index into steps, -1 for think
    std::vector<double> cumulative_weights;
    int threads = 1;
    Duration interval = std::chrono::seconds(1);
};

// Resolves literal origins, sets up TLS and serialises static requests. Throws SetupError.
RunPlan make_run_plan(const Scenario& scenario, int threads, Duration interval);

// Resolves one origin (blocking); throws SetupError naming the host.
HostTarget resolve_origin(const TargetUrl& url, boost::asio::ssl::context* tls);

// The URL a step sends to: its own full URL, or the scenario target joined with its path.
void render_step_url(const Scenario& scenario, const HttpStep& step, const RenderContext& ctx, std::string& out);

}  // namespace faultline
