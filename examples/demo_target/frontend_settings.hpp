#pragma once
// The switches of --mode frontend (docs/demo-system.md). Each resilience feature is off
// unless its flag is given, so a scenario can compare "breaker off" with "breaker on".
#include <cstdint>
#include <string>

#include "common/clock.hpp"

namespace faultline::demo {

struct FrontendSettings {
    std::string backend;                                  // --backend HOST:PORT (often a proxy)
    Duration backend_timeout = std::chrono::seconds(1);   // per attempt: connect + request + response
    unsigned retries = 0;                                 // extra attempts after a failed one
    double retry_budget = 0.1;                            // retries per request over retry_window
    Duration retry_window = std::chrono::seconds(10);
    bool breaker = false;
    unsigned breaker_failures = 5;                        // consecutive failures that open it
    Duration breaker_open = std::chrono::seconds(2);      // open time before the half-open probe
    unsigned bulkhead = 0;                                // max concurrent backend calls; 0: no limit
    bool stale_cache = false;
    std::string api_key;                                  // empty: no authentication
    std::uint64_t rate_limit = 0;                         // requests per rate_window; 0: no limit
    Duration rate_window = std::chrono::seconds(1);
};

}  // namespace faultline::demo
