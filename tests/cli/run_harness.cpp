#include "tests/cli/run_harness.hpp"

#include <arpa/inet.h>
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <netinet/in.h>
#include <random>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

namespace faultline::test {
namespace {

ChildOptions demo_options(std::vector<std::string> extra, std::optional<std::filesystem::path> dir) {
    ChildOptions o;
    o.argv = {FAULTLINE_DEMO_TARGET, "--port", "0"};
    // Tests start from a target that answers at once and never fails; they ask for more.
    for (const char* flag : {"--latency", "--jitter", "--error-rate"})
        if (std::find(extra.begin(), extra.end(), flag) == extra.end()) {
            o.argv.push_back(flag);
            o.argv.push_back("0");
        }
    o.argv.insert(o.argv.end(), extra.begin(), extra.end());
    o.working_dir = std::move(dir);
    return o;
}

}  // namespace

DemoTarget::DemoTarget(std::vector<std::string> extra_args, std::optional<std::filesystem::path> working_dir)
    : process_(demo_options(std::move(extra_args), std::move(working_dir))) {
    auto line = process_.read_line_until("listening on ", std::chrono::seconds(15));
    if (!line) FAIL("the demo target did not start: " << process_.stderr_text());
    url_ = line->substr(std::string_view("listening on ").size());
}

TempDir::TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("faultline-test-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

RunOutcome run_faultline(std::vector<std::string> args, std::chrono::seconds limit, bool add_json) {
    TempDir dir;
    const auto json_path = dir.path() / "result.json";
    std::vector<std::string> argv{FAULTLINE_BIN, "run"};
    argv.insert(argv.end(), args.begin(), args.end());
    if (add_json) {
        argv.push_back("--json");
        argv.push_back(json_path.string());
    }
    const auto start = std::chrono::steady_clock::now();
    ChildProcess p(argv);
    auto status = p.wait(std::chrono::duration_cast<std::chrono::milliseconds>(limit));
    RunOutcome out;
    out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (!status) FAIL("faultline did not finish within " << limit.count() << " s");
    p.wait_for_output_end(std::chrono::seconds(5));
    out.status = *status;
    out.out = p.stdout_text();
    out.err = p.stderr_text();
    if (add_json && std::filesystem::exists(json_path)) {
        std::ifstream in(json_path);
        std::stringstream ss;
        ss << in.rdbuf();
        out.result = boost::json::parse(ss.str()).as_object();
    }
    return out;
}

std::uint16_t unused_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

double num(const boost::json::value& v) { return v.to_number<double>(); }

double err(const boost::json::object& result, const char* cls) { return num(result.at("errors").at(cls)); }

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace faultline::test
