#include "chaos/service_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "chaos/setup_failure.hpp"

extern char** environ;

namespace faultline::chaos {

namespace {

// What the child reports through the pipe when it cannot exec.
struct ChildError {
    int stage = 0;  // 1 = chdir, 2 = exec
    int error = 0;
};

// The environment the service gets: ours, with the declared variables added or replaced.
std::vector<std::string> child_environment(const ServiceDecl& decl) {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry(*e);
        const auto key = entry.substr(0, entry.find('='));
        bool replaced = false;
        for (const auto& [name, value] : decl.env) replaced = replaced || name == key;
        if (!replaced) env.emplace_back(entry);
    }
    for (const auto& [name, value] : decl.env) env.push_back(name + "=" + value);
    return env;
}

// command[0] as execve needs it: a name without '/' is looked up in PATH (the service's PATH
// if it declares one) here, before fork, because the child may only make async-signal-safe calls.
std::string resolve_program(const ServiceDecl& decl) {
    const auto& name = decl.command.front();
    if (name.find('/') != std::string::npos) return name;
    std::string path = ::getenv("PATH") ? ::getenv("PATH") : "/usr/local/bin:/usr/bin:/bin";
    for (const auto& [key, value] : decl.env)
        if (key == "PATH") path = value;
    std::size_t start = 0;
    for (;;) {
        const auto end = path.find(':', start);
        std::string dir = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        const auto candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
        // Absolute: the child changes to the service's directory before exec, where a
        // relative PATH entry would no longer point at the same file.
        if (::access(candidate.c_str(), X_OK) == 0 && std::filesystem::is_regular_file(candidate))
            return std::filesystem::absolute(candidate).lexically_normal().string();
        if (end == std::string::npos) break;
        start = end + 1;
    }
    throw SetupFailure(fmt::format("service {}: cannot start `{}`: command not found in PATH", decl.name, name));
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// Marks every descriptor above stderr close-on-exec (async-signal-safe).
void close_other_fds_on_exec() {
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return;
    struct rlimit limit {};
    const rlim_t max_fd = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                              ? limit.rlim_cur
                              : 65536;
    for (rlim_t fd = 3; fd < max_fd; ++fd) {
        const int flags = ::fcntl(static_cast<int>(fd), F_GETFD);
        if (flags >= 0) ::fcntl(static_cast<int>(fd), F_SETFD, flags | FD_CLOEXEC);
    }
}

// Runs in the forked child: async-signal-safe calls only, then exec or report and _exit.
[[noreturn]] void exec_child(pid_t parent, int log_fd, int null_fd, int report_fd, const char* cwd,
                             const char* program, char* const* argv, char* const* envp) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // faultline died before prctl took effect
    // faultline's signal mask and ignored signals would be inherited across exec: a service
    // with SIGTERM blocked could only be stopped with SIGKILL.
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < NSIG; ++s)
        if (s != SIGKILL && s != SIGSTOP) ::sigaction(s, &dfl, nullptr);
    ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    // Nothing else of faultline's may survive the exec: a service holding a proxy's listening
    // socket would keep its port bound, so re-enabling a disabled proxy could never bind it
    // again. Marked close-on-exec rather than closed, so the report pipe still works.
    close_other_fds_on_exec();
    ChildError report;
    if (cwd[0] != '\0' && ::chdir(cwd) != 0) {
        report = {1, errno};
    } else {
        ::execve(program, argv, envp);
        report = {2, errno};
    }
    [[maybe_unused]] auto n = ::write(report_fd, &report, sizeof report);
    ::_exit(127);
}

}  // namespace

std::string describe_wait_status(int status) {
    if (WIFEXITED(status)) return fmt::format("exit code {}", WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return fmt::format("killed by signal {} ({})", WTERMSIG(status), ::strsignal(WTERMSIG(status)));
    return fmt::format("wait status {}", status);
}

ServiceProcess::ServiceProcess(ServiceDecl decl, std::filesystem::path log_path)
    : decl_(std::move(decl)), log_path_(std::move(log_path)) {}

ServiceProcess::~ServiceProcess() { kill_now(); }

void ServiceProcess::spawn() {
    if (decl_.command.empty()) throw SetupFailure(fmt::format("service {}: empty command", decl_.name));
    const std::lock_guard lock(mutex_);
    if (pid_ != 0) return;
    auto program = resolve_program(decl_);
    auto args = decl_.command;
    auto env = child_environment(decl_);
    auto argv = pointers(args);
    auto envp = pointers(env);

    const int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (started_once_ ? 0 : O_TRUNC), 0644);
    if (log_fd < 0)
        throw SetupFailure(fmt::format("service {}: cannot open log {}: {}", decl_.name, log_path_.string(), std::strerror(errno)));
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    int report[2];
    if (null_fd < 0 || ::pipe2(report, O_CLOEXEC) != 0) {
        const int error = errno;
        ::close(log_fd);
        if (null_fd >= 0) ::close(null_fd);
        throw SetupFailure(fmt::format("service {}: {}", decl_.name, std::strerror(error)));
    }
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) exec_child(parent, log_fd, null_fd, report[1], decl_.cwd.c_str(), program.c_str(), argv.data(), envp.data());
    const int fork_error = errno;
    ::close(report[1]);
    ::close(log_fd);
    ::close(null_fd);
    if (pid < 0) {
        ::close(report[0]);
        throw SetupFailure(fmt::format("service {}: fork: {}", decl_.name, std::strerror(fork_error)));
    }
    ::setpgid(pid, pid);  // also here, so signals to the group work before the child gets to run
    ChildError error;
    ssize_t n;
    do n = ::read(report[0], &error, sizeof error); while (n < 0 && errno == EINTR);
    ::close(report[0]);
    started_once_ = true;
    if (n == static_cast<ssize_t>(sizeof error)) {  // exec failed: reap the child and say why
        int status = 0;
        ::waitpid(pid, &status, 0);
        if (error.stage == 1)
            throw SetupFailure(fmt::format("service {}: cannot change to directory {}: {}", decl_.name, decl_.cwd,
                                           std::strerror(error.error)));
        throw SetupFailure(fmt::format("service {}: cannot run {}: {}", decl_.name, program, std::strerror(error.error)));
    }
    pid_ = pid;  // EOF on the pipe: exec succeeded
    wait_status_.reset();
}

bool ServiceProcess::reap_locked(bool block) {
    if (pid_ == 0) return true;
    int status = 0;
    pid_t r;
    do r = ::waitpid(pid_, &status, block ? 0 : WNOHANG); while (r < 0 && errno == EINTR);
    if (r == 0) return false;
    if (r == pid_) wait_status_ = status;
    pid_ = 0;
    return true;
}

bool ServiceProcess::running() {
    const std::lock_guard lock(mutex_);
    reap_locked(false);
    return pid_ != 0;
}

pid_t ServiceProcess::pid() const {
    const std::lock_guard lock(mutex_);
    return pid_;
}

std::string ServiceProcess::exit_text() const {
    const std::lock_guard lock(mutex_);
    return wait_status_ ? describe_wait_status(*wait_status_) : "";
}

bool ServiceProcess::signal_group(int signal) {
    const std::lock_guard lock(mutex_);
    if (pid_ == 0) return false;
    return ::kill(-pid_, signal) == 0;
}

void ServiceProcess::begin_stop() {
    const std::lock_guard lock(mutex_);
    if (pid_ == 0) return;
    ::kill(-pid_, SIGTERM);
    ::kill(-pid_, SIGCONT);
}

void ServiceProcess::finish_stop(Clock_tp deadline, const Clock& clock) {
    for (;;) {
        {
            const std::lock_guard lock(mutex_);
            if (pid_ == 0) return;
            const pid_t group = pid_;
            if (reap_locked(false)) {
                ::kill(-group, SIGKILL);  // stragglers left in its group
                return;
            }
        }
        if (clock.now() >= deadline) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill_now();
}

void ServiceProcess::stop(const Clock& clock, Duration grace) {
    begin_stop();
    finish_stop(clock.now() + grace, clock);
}

void ServiceProcess::kill_now() {
    const std::lock_guard lock(mutex_);
    if (pid_ == 0) return;
    ::kill(-pid_, SIGKILL);
    reap_locked(true);
}

std::string ServiceProcess::log_tail(std::size_t max_lines) const {
    std::ifstream in(log_path_, std::ios::binary);
    if (!in) return "";
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::streamoff>(in.tellg());
    const std::streamoff start = std::max<std::streamoff>(0, size - 4096);
    in.seekg(start);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (start > 0) text.erase(0, text.find('\n') + 1);  // drop the partial first line
    while (!text.empty() && text.back() == '\n') text.pop_back();
    std::size_t begin = text.size();
    for (std::size_t lines = 0; begin > 0 && lines < max_lines; ++lines) {
        const auto newline = text.rfind('\n', begin - 1);
        begin = newline == std::string::npos ? 0 : newline;
    }
    return text.substr(begin == 0 ? 0 : begin + 1);
}

}  // namespace faultline::chaos
