#pragma once
// Runs the real `faultline` binary against the real demo target, for end-to-end tests.
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace faultline::test {

// The demo target on an ephemeral 127.0.0.1 port, stopped when this goes away.
class DemoTarget {
public:
    explicit DemoTarget(std::vector<std::string> extra_args = {},
                        std::optional<std::filesystem::path> working_dir = std::nullopt);
    const std::string& url() const noexcept { return url_; }  // e.g. http://127.0.0.1:41234

private:
    ChildProcess process_;
    std::string url_;
};

struct RunOutcome {
    ExitStatus status;
    std::string out, err;
    boost::json::object result;  // empty when no JSON was written
    std::chrono::milliseconds elapsed{};
};

// A fresh, empty temporary directory, removed with the object.
class TempDir {
public:
    TempDir();
    ~TempDir();
    const std::filesystem::path& path() const noexcept { return path_; }

private:
    std::filesystem::path path_;
};

// `faultline run ARGS --json <tmp>` (the --json flag is added unless add_json is false).
// Fails the test if it runs past `limit`.
RunOutcome run_faultline(std::vector<std::string> args, std::chrono::seconds limit = std::chrono::seconds(60),
                         bool add_json = true);

// A 127.0.0.1 port with nothing listening on it (bound, then released).
std::uint16_t unused_port();

// A JSON number as double (integers included).
double num(const boost::json::value& v);
// result["errors"][cls] of a result JSON.
double err(const boost::json::object& result, const char* cls);
// A whole file's bytes; empty when it cannot be read.
std::string read_text(const std::filesystem::path& p);

}  // namespace faultline::test
