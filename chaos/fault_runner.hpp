#pragma once
// Runs the fault timeline: a coroutine on the chaos control thread sleeps on a steady timer
// until origin + offset of each event and applies or reverts that fault, recording when it
// really happened. Fault errors (an API reply of 500, a service that does not come back) are
// kept as warnings, never thrown.
//
// Threads: start(), stop_timeline() and revert_all() run on the control thread (the one
// that forked the services: PR_SET_PDEATHSIG is tied to it). request_stop(), active(),
// windows() and warnings() may be called from any thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "chaos/api_transport.hpp"
#include "chaos/fault_calls.hpp"
#include "chaos/fault_timeline.hpp"
#include "chaos/service_process.hpp"
#include "reports/fault_window.hpp"

namespace faultline::chaos {

namespace net = boost::asio;

class FaultRunner {
public:
    using ServiceLookup = std::function<ServiceProcess*(const std::string& name)>;

    FaultRunner(std::vector<FaultDecl> faults, ServiceLookup services, const Clock& clock);

    // The API proxy faults go to; null: proxy faults are warnings. Set before start().
    void set_api(ApiTransport* api) noexcept { api_ = api; }

    // Spawns the timeline on `io` (control thread). Events already due run at once.
    void start(net::io_context& io, Clock_tp origin);
    // Any thread: no further events start; a service wait in progress gives up soon.
    void request_stop() noexcept { stop_ = true; }
    // Control thread: stops the timeline (request_stop + cancels its timer) and reverts every
    // applied, not yet reverted fault. Killed or restarted services are not started again
    // (the run is over; the session stops them anyway). Idempotent.
    void revert_all();

    std::string active() const;  // "latency on db; pause on api", "" when none
    std::vector<FaultWindow> windows() const;
    std::vector<std::string> warnings() const;

private:
    struct State {
        bool applied = false;
        bool reverted = false;
        std::vector<ProxyChange> changes;  // the proxy changes that succeeded, to undo
        std::optional<double> start_s;
        std::optional<double> end_s;
    };

    net::awaitable<void> run(Clock_tp origin);
    void apply(std::size_t index);
    void revert(std::size_t index, bool final);
    bool apply_proxy_fault(std::size_t index, std::vector<ProxyChange>& done);
    bool apply_service_fault(std::size_t index);
    void revert_proxy_fault(std::size_t index, const std::vector<ProxyChange>& changes);
    void revert_service_fault(std::size_t index, bool final);
    double since_origin() const;
    void warn(std::size_t index, const std::string& what);

    const std::vector<FaultDecl> faults_;
    const std::vector<FaultEvent> events_;
    ServiceLookup services_;
    const Clock& clock_;
    ApiTransport* api_ = nullptr;
    Clock_tp origin_{};
    std::atomic<bool> stop_{false};
    net::steady_timer* timer_ = nullptr;  // the running timeline's timer (control thread)

    mutable std::mutex mutex_;  // guards states_ and warnings_
    std::vector<State> states_;
    std::vector<std::string> warnings_;
};

}  // namespace faultline::chaos
