#pragma once
// Waiting for a started service to be ready: an http probe (GET, 2xx or 3xx) or a tcp probe
// (the connection is accepted), retried every 50 ms within ReadyProbe::timeout.
#include <atomic>

#include "chaos/service_process.hpp"

namespace faultline::chaos {

inline constexpr std::chrono::milliseconds kProbeInterval{50};

// Returns once the service is ready (at once for ReadyProbe::Kind::none). Throws SetupFailure
// when the process exits meanwhile (its exit status and the last lines of its log), when the
// timeout passes (the last probe error and the log's last lines), or soon after `cancel`
// becomes true. Blocks the calling thread.
void wait_until_ready(ServiceProcess& service, const std::atomic<bool>& cancel, const Clock& clock);

// One probe attempt: "" when ready, else why not ("connection refused", "HTTP 503").
std::string probe_once(const ReadyProbe& probe, Duration timeout);

}  // namespace faultline::chaos
