#pragma once
// One service faultline starts and stops: its own process group (so a terminal Ctrl-C reaches
// faultline only and faultline decides the shutdown order), SIGTERM on faultline's death, and
// stdout+stderr in a log file. Linux only (fork, prctl). Thread-safe.
#include <sys/types.h>

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "scenarios/chaos_spec.hpp"

namespace faultline::chaos {

inline constexpr std::chrono::seconds kStopGrace{5};

class ServiceProcess {
public:
    ServiceProcess(ServiceDecl decl, std::filesystem::path log_path);
    ~ServiceProcess();  // SIGKILLs and reaps a process still running
    ServiceProcess(const ServiceProcess&) = delete;
    ServiceProcess& operator=(const ServiceProcess&) = delete;

    const ServiceDecl& decl() const noexcept { return decl_; }
    const std::string& name() const noexcept { return decl_.name; }
    const std::filesystem::path& log_path() const noexcept { return log_path_; }

    // Starts the command; the first start truncates the log, later ones (restarts) append.
    // Throws SetupFailure with the reason when it cannot run (not found in PATH, not
    // executable, bad cwd): exec errors come back through a close-on-exec pipe, so they are
    // never mistaken for a slow start. PR_SET_PDEATHSIG fires when the *thread* that forked
    // ends, so call this from a thread that outlives the service.
    void spawn();

    // True from spawn() until the process has been reaped (reaps it if it has exited).
    bool running();
    pid_t pid() const;
    // "exit code 3" or "killed by signal 9 (Killed)" once it has ended; "" before.
    std::string exit_text() const;

    // Sends `signal` to the whole process group; false when it is not running.
    bool signal_group(int signal);
    // SIGCONT (a stopped group could not act on SIGTERM) and SIGTERM to the group, no wait.
    void begin_stop();
    // Waits until `deadline` for the process to exit, then SIGKILLs the group; reaps. Whatever
    // is left in its group is killed too, so nothing it started outlives it.
    void finish_stop(Clock_tp deadline, const Clock& clock);
    // begin_stop + finish_stop(now + grace). Idempotent.
    void stop(const Clock& clock, Duration grace = kStopGrace);
    // SIGKILL to the group, then reap (a crash, for `kill` faults).
    void kill_now();

    // The last `max_lines` lines of the log (for setup failure messages).
    std::string log_tail(std::size_t max_lines = 10) const;

private:
    bool reap_locked(bool block);

    ServiceDecl decl_;
    std::filesystem::path log_path_;
    mutable std::mutex mutex_;
    pid_t pid_ = 0;  // also the process group id; 0 when not running
    std::optional<int> wait_status_;
    bool started_once_ = false;
};

// "exit code 3", "killed by signal 9 (Killed)".
std::string describe_wait_status(int status);

}  // namespace faultline::chaos
