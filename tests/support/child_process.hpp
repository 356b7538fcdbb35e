#pragma once
// Launching a program from a test: argv, extra environment, working directory; its stdout and
// stderr captured in the background; waiting for a line, signalling, and reaping with a
// timeout. The destructor SIGKILLs and reaps a child still running, so a failing test never
// leaks a process. Linux (posix_spawn, poll). One ChildProcess is used from one thread.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace faultline::test {

struct ExitStatus {
    std::optional<int> exit_code;    // set when the process exited (exit() or return from main)
    std::optional<int> term_signal;  // set when a signal killed it

    static ExitStatus exited(int code) { return ExitStatus{code, std::nullopt}; }
    static ExitStatus killed_by(int signal) { return ExitStatus{std::nullopt, signal}; }
    friend bool operator==(const ExitStatus&, const ExitStatus&) = default;
};
// "exit code 2" or "killed by signal 9 (Killed)", for Catch2 messages.
std::ostream& operator<<(std::ostream& out, const ExitStatus& status);

struct ChildOptions {
    std::vector<std::string> argv;  // argv[0] is the program: a path, or a name looked up in PATH
    std::vector<std::pair<std::string, std::string>> env;  // added to (or replacing in) this process's environment
    std::optional<std::filesystem::path> working_dir;      // default: this process's
};

enum class Output { stdout_stream, stderr_stream };

class ChildProcess {
public:
    // Starts the program with stdin from /dev/null. Throws std::system_error if it cannot be
    // started (e.g. ENOENT for a missing program).
    explicit ChildProcess(ChildOptions options);
    // The same with only argv (inherited environment and working directory).
    explicit ChildProcess(std::vector<std::string> argv);
    ChildProcess(ChildProcess&&) noexcept;  // the moved-from object may only be destroyed
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    // SIGKILL and reap if still running; stop the reader thread.
    ~ChildProcess();

    pid_t pid() const noexcept;

    // Returns the next unread line of `stream` (without its '\n') for which `match` is true;
    // lines that do not match are consumed on the way. nullopt on timeout or when the stream
    // ended without a match. A final line without '\n' counts once the stream has ended.
    // `match` runs under an internal lock: it must not call back into this object.
    std::optional<std::string> read_line_until(const std::function<bool(std::string_view)>& match,
                                               std::chrono::milliseconds timeout,
                                               Output stream = Output::stdout_stream);
    // The same, for the first line starting with `prefix`.
    std::optional<std::string> read_line_until(std::string_view prefix, std::chrono::milliseconds timeout,
                                               Output stream = Output::stdout_stream);

    // Everything captured so far (read or not).
    std::string stdout_text() const;
    std::string stderr_text() const;

    // Sends `signal` unless the child has been reaped already. False if not delivered.
    bool send_signal(int signal);

    // Waits until the child ends and reaps it; nullopt if it is still running after
    // `timeout`. Once reaped, returns the same status again at once.
    std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);

    // Once the child has ended (after wait()), waits up to `timeout` for its output to reach
    // end of file, so stdout_text()/stderr_text() are complete. False on timeout (e.g. a
    // grandchild still holds the pipes).
    bool wait_for_output_end(std::chrono::milliseconds timeout);

private:
    struct State;
    std::unique_ptr<State> state_;
};

// The port in a line such as "listening on http://127.0.0.1:43117" (also "[::1]:443" or a
// trailing '/'); 0 if there is none.
std::uint16_t port_from_listening_line(std::string_view line);

}  // namespace faultline::test
