#include <catch2/catch.hpp>

#include <signal.h>

#include <cerrno>
#include <system_error>

#include "tests/support/child_process.hpp"

using namespace faultline::test;
using namespace std::chrono_literals;

namespace {

ChildProcess shell(const std::string& script, ChildOptions options = {}) {
    options.argv = {"/bin/sh", "-c", script};
    return ChildProcess(std::move(options));
}

}  // namespace

TEST_CASE("ChildProcess captures stdout and stderr and reports the exit code", "[process]") {
    auto child = shell("echo first; echo oops >&2; echo 'listening on http://127.0.0.1:4242'; printf tail; exit 3");
    const auto line = child.read_line_until("listening on", 10s);
    REQUIRE(line);
    CHECK(*line == "listening on http://127.0.0.1:4242");
    CHECK(port_from_listening_line(*line) == 4242);
    const auto tail = child.read_line_until([](std::string_view) { return true; }, 10s);
    REQUIRE(tail);
    CHECK(*tail == "tail");  // the final line without '\n' counts once the stream ends
    CHECK_FALSE(child.read_line_until("anything", 1s));  // ended: returns at once

    const auto status = child.wait(10s);
    REQUIRE(status);
    CHECK(*status == ExitStatus::exited(3));
    CHECK(child.wait(0ms) == status);
    REQUIRE(child.wait_for_output_end(10s));
    CHECK(child.stdout_text() == "first\nlistening on http://127.0.0.1:4242\ntail");
    CHECK(child.stderr_text() == "oops\n");
    CHECK(child.read_line_until("oops", 1s, Output::stderr_stream) == std::optional<std::string>("oops"));
}

TEST_CASE("ChildProcess passes extra environment and the working directory", "[process]") {
    auto child = shell("echo \"$FAULTLINE_CHILD_TEST\"; pwd",
                       ChildOptions{.argv = {}, .env = {{"FAULTLINE_CHILD_TEST", "hello"}}, .working_dir = "/tmp"});
    CHECK(child.read_line_until("hello", 10s));
    CHECK(child.read_line_until("/tmp", 10s));
    CHECK(child.wait(10s) == ExitStatus::exited(0));
}

TEST_CASE("ChildProcess reports a signal death distinctly", "[process]") {
    auto child = shell("echo ready; exec sleep 30");
    REQUIRE(child.read_line_until("ready", 10s));
    CHECK_FALSE(child.wait(50ms));  // still running: a timeout, not a status
    REQUIRE(child.send_signal(SIGTERM));
    const auto status = child.wait(10s);
    REQUIRE(status);
    CHECK(*status == ExitStatus::killed_by(SIGTERM));
    CHECK_FALSE(status->exit_code);
    CHECK_FALSE(child.send_signal(SIGTERM));  // reaped: nothing to signal
}

TEST_CASE("ChildProcess kills and reaps a running child on destruction", "[process]") {
    pid_t pid = 0;
    {
        auto child = shell("exec sleep 30");
        pid = child.pid();
        REQUIRE(::kill(pid, 0) == 0);
    }
    // Reaped, so the pid is gone (barring reuse within microseconds).
    CHECK(::kill(pid, 0) == -1);
    CHECK(errno == ESRCH);
}

TEST_CASE("ChildProcess can be moved; the last owner kills and reaps", "[process]") {
    std::vector<pid_t> pids;
    {
        std::vector<ChildProcess> children;
        for (int i = 0; i < 3; ++i) children.push_back(shell("exec sleep 30"));  // reallocation moves them
        for (const auto& child : children) pids.push_back(child.pid());
    }
    for (const pid_t pid : pids) CHECK(::kill(pid, 0) == -1);
}

TEST_CASE("ChildProcess gives up on a line after the timeout", "[process]") {
    auto child = shell("echo unrelated; exec sleep 30");
    CHECK_FALSE(child.read_line_until("never", 100ms));
    CHECK(child.stdout_text() == "unrelated\n");
}

TEST_CASE("ChildProcess throws when the program cannot be started", "[process]") {
    CHECK_THROWS_AS(ChildProcess(std::vector<std::string>{"/nonexistent/faultline-no-such-program"}), std::system_error);
    CHECK_THROWS_AS(ChildProcess(ChildOptions{}), std::invalid_argument);
}

TEST_CASE("port_from_listening_line", "[process]") {
    CHECK(port_from_listening_line("listening on http://127.0.0.1:8080") == 8080);
    CHECK(port_from_listening_line("listening on https://127.0.0.1:443/") == 443);
    CHECK(port_from_listening_line("listening on http://[::1]:9000") == 9000);
    CHECK(port_from_listening_line("listening on http://127.0.0.1:8080\r") == 8080);
    CHECK(port_from_listening_line("listening on http://localhost") == 0);
    CHECK(port_from_listening_line("listening on http://127.0.0.1:70000") == 0);
    CHECK(port_from_listening_line("listening on http://127.0.0.1:0") == 0);
    CHECK(port_from_listening_line("no port here") == 0);
    CHECK(port_from_listening_line("") == 0);
}
