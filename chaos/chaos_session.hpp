#pragma once
// The system-under-test part of a run (docs/chaos.md): the proxies (embedded engine or an
// external Toxiproxy API), the service processes, and the fault timeline, with one cleanup
// path for the end of the run, Ctrl-C and errors.
//
// Threads: the session owns two threads, the embedded proxy engine's (the proxied traffic)
// and a control thread that runs the timeline and forks the services (their
// PR_SET_PDEATHSIG is tied to the thread that forked them, which lives until shutdown()).
// Setup (start_proxies, start_services, start_faults) is called from one thread; the other
// members may be called from any thread.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "chaos/io_thread.hpp"
#include "chaos/setup_failure.hpp"
#include "reports/fault_window.hpp"
#include "scenarios/chaos_spec.hpp"

namespace faultline::chaos {

class ApiTransport;
class EmbeddedEngine;
class FaultRunner;
class ServiceProcess;

class ChaosSession {
public:
    // log_dir/log_prefix: where services' logs go ("<log_dir>/<log_prefix><service>.log").
    // `clock` times the readiness waits and the applied fault times; the timeline's timer
    // is a steady_timer, so it must tell steady_clock time (tests pass SteadyClock).
    ChaosSession(ChaosSpec spec, std::filesystem::path log_dir, std::string log_prefix, std::uint64_t seed,
                 const Clock& clock = SteadyClock::instance());
    ~ChaosSession();  // shutdown()
    ChaosSession(const ChaosSession&) = delete;
    ChaosSession& operator=(const ChaosSession&) = delete;

    // Starts the embedded proxy engine or checks the external API, creates the declared
    // proxies, and checks that every proxy a fault names exists. Returns
    // {"proxies.<name>.listen", "host:port"} for each declared proxy (real ports). Throws
    // SetupFailure after undoing what it started.
    std::vector<std::pair<std::string, std::string>> start_proxies();
    // Starts the services (commands already rendered with the real proxy addresses), in
    // order, each waiting for ready. Throws SetupFailure (after stopping those started).
    void start_services(const std::vector<ServiceDecl>& services);
    // Runs the fault timeline against origin (steady clock) on the control thread; returns at once.
    void start_faults(Clock_tp origin);
    // The faults active now, e.g. "latency on db" ("" when none), for the progress line.
    std::string active_faults() const;
    // Stops the timeline and reverts every applied fault. Idempotent, thread-safe.
    void remove_faults();
    // remove_faults(), stops services (SIGTERM, SIGKILL after 5 s), deletes the proxies we
    // created, stops the engine. Idempotent. Never throws (logs problems to stderr).
    void shutdown();
    // One window per fault, scheduled times + applied times (seconds from origin).
    std::vector<FaultWindow> windows() const;
    std::vector<std::string> service_logs() const;  // paths
    // Fault application problems during the run (an API error, a service not coming back).
    std::vector<std::string> warnings() const;
    // Set by a signal handler thread while setup runs: aborts waits (ready probes) promptly.
    void cancel_setup() noexcept { cancel_ = true; }

private:
    void create_proxies(std::vector<std::pair<std::string, std::string>>& listens);
    void check_fault_proxies();
    void delete_created_proxies() noexcept;
    void stop_services() noexcept;
    void stop_engine() noexcept;
    void remove_faults_locked() noexcept;
    ServiceProcess* find_service(const std::string& name) const;

    const ChaosSpec spec_;
    const std::filesystem::path log_dir_;
    const std::string log_prefix_;
    const std::uint64_t seed_;
    const Clock& clock_;
    std::atomic<bool> cancel_{false};

    std::unique_ptr<ApiTransport> api_;  // EmbeddedEngine or ToxiproxyClient
    EmbeddedEngine* engine_ = nullptr;   // api_ when embedded
    std::vector<std::string> created_proxies_;

    mutable std::mutex services_mutex_;  // guards the list (not the processes: they lock themselves)
    std::vector<std::unique_ptr<ServiceProcess>> services_;

    std::unique_ptr<FaultRunner> runner_;
    std::mutex lifecycle_mutex_;  // serialises remove_faults() and shutdown()
    bool faults_started_ = false;
    std::atomic<bool> shut_down_{false};  // set under lifecycle_mutex_, read anywhere
    IoThread control_;  // last: stopped and destroyed first, before what its tasks use
};

}  // namespace faultline::chaos
