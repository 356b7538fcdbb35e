#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>

extern char** environ;

namespace faultline::test {

namespace {

[[noreturn]] void throw_errno(int error, const std::string& what) {
    throw std::system_error(error, std::generic_category(), what);
}

struct Pipe {
    int read_end = -1;
    int write_end = -1;
    Pipe() {
        int fds[2];
        // CLOEXEC: children spawned concurrently by other ChildProcess objects must not
        // inherit these ends, or our reader would never see end of file.
        if (::pipe2(fds, O_CLOEXEC) != 0) throw_errno(errno, "pipe2");
        read_end = fds[0];
        write_end = fds[1];
    }
};

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// `environ` with ChildOptions::env applied, as "KEY=VALUE" strings.
std::vector<std::string> child_environment(const std::vector<std::pair<std::string, std::string>>& extra) {
    std::vector<std::string> env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto key = text.substr(0, text.find('='));
        bool replaced = false;
        for (const auto& kv : extra) replaced = replaced || kv.first == key;
        if (!replaced) env.emplace_back(text);
    }
    for (const auto& [key, value] : extra) env.push_back(key + "=" + value);
    return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    for (auto& s : strings) pointers.push_back(s.data());
    pointers.push_back(nullptr);
    return pointers;
}

ExitStatus decode(int wait_status) {
    if (WIFSIGNALED(wait_status)) return ExitStatus::killed_by(WTERMSIG(wait_status));
    return ExitStatus::exited(WEXITSTATUS(wait_status));
}

}  // namespace

std::ostream& operator<<(std::ostream& out, const ExitStatus& status) {
    if (status.exit_code) out << "exit code " << *status.exit_code;
    if (status.term_signal) out << "killed by signal " << *status.term_signal << " (" << ::strsignal(*status.term_signal) << ")";
    if (!status.exit_code && !status.term_signal) out << "no status";
    return out;
}

struct ChildProcess::State {
    struct Captured {
        int fd = -1;
        std::string text;
        std::size_t read_pos = 0;  // start of the first line read_line_until has not consumed
        bool ended = false;
    };

    pid_t pid = -1;
    std::optional<ExitStatus> status;
    Pipe wake;  // written by the destructor to stop the reader even if a grandchild holds a pipe
    std::thread reader;
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::array<Captured, 2> output;

    Captured& captured(Output stream) { return output[stream == Output::stdout_stream ? 0 : 1]; }

    void read_loop();
    std::optional<std::string> next_line(Captured& c);
};

void ChildProcess::State::read_loop() {
    std::array<char, 64 * 1024> chunk;
    for (;;) {
        std::array<pollfd, 3> fds{};
        nfds_t count = 0;
        std::array<Captured*, 2> polled{};
        for (auto& c : output) {
            if (c.fd < 0) continue;
            polled[count] = &c;
            fds[count++] = pollfd{c.fd, POLLIN, 0};
        }
        if (count == 0) return;
        fds[count] = pollfd{wake.read_end, POLLIN, 0};
        if (::poll(fds.data(), count + 1, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[count].revents != 0) return;
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0) continue;
            const ssize_t n = ::read(polled[i]->fd, chunk.data(), chunk.size());
            if (n < 0 && errno == EINTR) continue;
            const std::lock_guard lock(mutex);
            if (n > 0) {
                polled[i]->text.append(chunk.data(), static_cast<std::size_t>(n));
            } else {
                close_fd(polled[i]->fd);
                polled[i]->ended = true;
            }
            changed.notify_all();
        }
    }
}

// The next complete line of `c` (or the final unterminated one once ended). Caller holds mutex.
std::optional<std::string> ChildProcess::State::next_line(Captured& c) {
    const auto newline = c.text.find('\n', c.read_pos);
    if (newline == std::string::npos && !(c.ended && c.read_pos < c.text.size())) return std::nullopt;
    const auto end = newline == std::string::npos ? c.text.size() : newline;
    std::string line = c.text.substr(c.read_pos, end - c.read_pos);
    c.read_pos = newline == std::string::npos ? c.text.size() : newline + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

ChildProcess::ChildProcess(ChildOptions options) : state_(std::make_unique<State>()) {
    if (options.argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
    Pipe out;
    Pipe err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out.write_end, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.write_end, STDERR_FILENO);
    if (options.working_dir) posix_spawn_file_actions_addchdir_np(&actions, options.working_dir->c_str());

    // The child starts with no blocked signals and default handlers, whatever the test
    // runner has set up (ignored dispositions would otherwise be inherited).
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGCHLD}) sigaddset(&defaults, s);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<std::string> env = child_environment(options.env);
    std::vector<char*> envp = c_strings(env);
    std::vector<char*> argv = c_strings(options.argv);
    const int rc = ::posix_spawnp(&state_->pid, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close_fd(out.write_end);
    close_fd(err.write_end);
    if (rc != 0) {
        close_fd(out.read_end);
        close_fd(err.read_end);
        close_fd(state_->wake.read_end);
        close_fd(state_->wake.write_end);
        throw_errno(rc, "cannot start '" + options.argv[0] + "'");
    }
    state_->output[0].fd = out.read_end;
    state_->output[1].fd = err.read_end;
    state_->reader = std::thread([state = state_.get()] { state->read_loop(); });
}

ChildProcess::ChildProcess(std::vector<std::string> argv) : ChildProcess([&argv] {
    ChildOptions options;
    options.argv = std::move(argv);
    return options;
}()) {}

ChildProcess::ChildProcess(ChildProcess&&) noexcept = default;

ChildProcess::~ChildProcess() {
    if (!state_) return;
    if (!state_->status && state_->pid > 0) {
        ::kill(state_->pid, SIGKILL);
        int wait_status = 0;
        while (::waitpid(state_->pid, &wait_status, 0) < 0 && errno == EINTR) {
        }
    }
    const char byte = 0;
    [[maybe_unused]] const auto written = ::write(state_->wake.write_end, &byte, 1);
    if (state_->reader.joinable()) state_->reader.join();
    for (auto& c : state_->output) close_fd(c.fd);
    close_fd(state_->wake.read_end);
    close_fd(state_->wake.write_end);
}

pid_t ChildProcess::pid() const noexcept { return state_->pid; }

std::optional<std::string> ChildProcess::read_line_until(const std::function<bool(std::string_view)>& match,
                                                         std::chrono::milliseconds timeout, Output stream) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(state_->mutex);
    auto& c = state_->captured(stream);
    for (;;) {
        while (auto line = state_->next_line(c)) {
            if (match(*line)) return line;
        }
        if (c.ended) return std::nullopt;
        if (state_->changed.wait_until(lock, deadline) == std::cv_status::timeout) {
            while (auto line = state_->next_line(c)) {
                if (match(*line)) return line;
            }
            return std::nullopt;
        }
    }
}

std::optional<std::string> ChildProcess::read_line_until(std::string_view prefix, std::chrono::milliseconds timeout,
                                                         Output stream) {
    return read_line_until([prefix](std::string_view line) { return line.starts_with(prefix); }, timeout, stream);
}

std::string ChildProcess::stdout_text() const {
    const std::lock_guard lock(state_->mutex);
    return state_->output[0].text;
}

std::string ChildProcess::stderr_text() const {
    const std::lock_guard lock(state_->mutex);
    return state_->output[1].text;
}

bool ChildProcess::send_signal(int signal) {
    if (state_->status) return false;
    return ::kill(state_->pid, signal) == 0;
}

std::optional<ExitStatus> ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (state_->status) return state_->status;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto pause = std::chrono::milliseconds(1);
    for (;;) {
        int wait_status = 0;
        const pid_t reaped = ::waitpid(state_->pid, &wait_status, WNOHANG);
        if (reaped == state_->pid) {
            state_->status = decode(wait_status);
            return state_->status;
        }
        if (reaped < 0 && errno != EINTR) throw_errno(errno, "waitpid");
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
        pause = std::min(pause * 2, std::chrono::milliseconds(20));
    }
}

bool ChildProcess::wait_for_output_end(std::chrono::milliseconds timeout) {
    std::unique_lock lock(state_->mutex);
    return state_->changed.wait_for(lock, timeout, [this] {
        return state_->output[0].ended && state_->output[1].ended;
    });
}

std::uint16_t port_from_listening_line(std::string_view line) {
    const auto colon = line.rfind(':');
    if (colon == std::string_view::npos) return 0;
    const char* first = line.data() + colon + 1;
    const char* last = line.data() + line.size();
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(first, last, port);
    if (ec != std::errc{} || end == first || port == 0 || port > 65535) return 0;
    if (end != last && *end != '/' && *end != ' ' && *end != '\r') return 0;
    return static_cast<std::uint16_t>(port);
}

}  // namespace faultline::test
