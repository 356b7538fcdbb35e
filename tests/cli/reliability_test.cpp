// "Nothing lost" and "secrets stay secret" end to end (docs/reliability.md): a signal at any
// point of the load leaves a complete result, a target that dies mid-run is a run with
// errors, `faultline proxy --config` restores its proxies on restart, and a secret passed
// with -e appears in no output.
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <fstream>
#include <sstream>
#include <thread>

#include "scenarios/template.hpp"
#include "tests/cli/run_harness.hpp"

using namespace std::chrono_literals;
using namespace faultline::test;
namespace json = boost::json;

namespace {



// The demo target as a child the test can kill.
ChildProcess start_target(std::string& url) {
    ChildProcess p({FAULTLINE_DEMO_TARGET, "--port", "0", "--latency", "0", "--jitter", "0", "--error-rate", "0"});
    auto line = p.read_line_until("listening on ", 15s);
    REQUIRE(line);
    url = line->substr(std::string_view("listening on ").size());
    return p;
}

// One HTTP/1.1 request on a fresh connection; the raw response (status line, head, body).
std::string http_exchange(std::uint16_t port, const std::string& method, const std::string& path,
                          const std::string& body = "") {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: " +
                            std::to_string(body.size()) + "\r\n\r\n" + body;
    REQUIRE(::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size()));
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return out;
}

std::uint16_t start_proxy(ChildProcess& p) {
    auto line = p.read_line_until("listening on", 10s);
    REQUIRE(line);
    return port_from_listening_line(*line);
}

}  // namespace

TEST_CASE("SIGINT at any point of the load leaves a complete result marked interrupted, exit 130", "[socket]") {
    DemoTarget target({"--latency", "5ms"});
    // Delays after the load started; the last lands in the drain: the schedule (1 s) is over
    // and requests of 800 ms are still in flight.
    struct Moment {
        const char* path;
        std::chrono::milliseconds delay;
    };
    const Moment moments[] = {{"/", 0ms}, {"/", 30ms}, {"/", 350ms}, {"/", 700ms}, {"/delay/800", 1150ms}};
    for (const auto& m : moments) {
        TempDir dir;
        const auto json_path = dir.path() / "partial.json";
        ChildProcess p({FAULTLINE_BIN, "run", "--url", target.url() + m.path, "--rate", "100", "--duration", "1s",
                        "--timeout", "3s", "--json", json_path.string()});
        REQUIRE(p.read_line_until("faultline:", 10s, Output::stderr_stream));
        std::this_thread::sleep_for(m.delay);
        REQUIRE(p.send_signal(SIGINT));
        const auto status = p.wait(10s);
        REQUIRE(status);
        p.wait_for_output_end(5s);
        INFO("SIGINT " << m.delay.count() << " ms into the load of " << m.path << ": " << *status << "\n"
                       << p.stderr_text());
        CHECK(*status == ExitStatus::exited(130));
        REQUIRE(std::filesystem::exists(json_path));
        json::object j;
        REQUIRE_NOTHROW(j = json::parse(read_text(json_path)).as_object());
        CHECK(j.at("interrupted").as_bool());
        // Complete: every documented top-level key is there and the counts add up.
        for (const char* key : {"faultline_version", "run", "requests", "completed", "errors", "latency_ms", "hdr",
                                "intervals", "interrupted", "warnings"})
            CHECK(j.contains(key));
        CHECK(num(j.at("completed")) == num(j.at("requests")));
        // No temporary file is left beside the result.
        std::size_t files = 0;
        for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
        CHECK(files == 1);
    }
}

TEST_CASE("a target killed mid-run is reported as errors, not as a faultline failure", "[socket]") {
    std::string url;
    ChildProcess target = start_target(url);
    TempDir dir;
    const auto json_path = dir.path() / "result.json";
    ChildProcess run({FAULTLINE_BIN, "run", "--url", url + "/", "--rate", "100", "--duration", "2s", "--timeout",
                      "500ms", "--json", json_path.string(), "-q"});
    std::this_thread::sleep_for(900ms);
    REQUIRE(target.send_signal(SIGKILL));
    const auto status = run.wait(20s);
    REQUIRE(status);
    run.wait_for_output_end(5s);
    INFO(run.stdout_text() << run.stderr_text());
    CHECK(*status == ExitStatus::exited(0));  // no thresholds: errors alone do not fail the run
    const auto j = json::parse(read_text(json_path)).as_object();
    const double ok = num(j.at("status_codes").at("200"));
    const double failed = err(j, "connect_refused") + err(j, "reset");
    INFO("200s " << ok << ", refused+reset " << failed << ", requests " << num(j.at("requests")) << " (expected 200)");
    CHECK(num(j.at("requests")) == 200);
    CHECK(ok >= 50);
    CHECK(failed >= 50);
    CHECK(ok + failed == 200);
}

TEST_CASE("faultline proxy --config restores the declared proxies and toxics on restart", "[socket]") {
    DemoTarget target;
    const auto target_port = port_from_listening_line("listening on " + target.url());
    const auto listen_port = unused_port();
    TempDir dir;
    const auto config = dir.path() / "proxies.json";
    std::ofstream(config) << R"([{"name":"web","listen":"127.0.0.1:)" << listen_port
                          << R"(","upstream":"127.0.0.1:)" << target_port
                          << R"(","toxics":[{"name":"slow","type":"latency","attributes":{"latency":5}}]}])";
    for (int start = 0; start < 2; ++start) {
        INFO("start " << start + 1);
        ChildProcess proxy({FAULTLINE_BIN, "proxy", "--port", "0", "--config", config.string()});
        const auto api = start_proxy(proxy);
        const auto toxics = http_exchange(api, "GET", "/proxies/web/toxics");
        CHECK(toxics.find(R"("name":"slow")") != std::string::npos);
        CHECK(toxics.find(R"("latency":5)") != std::string::npos);
        CHECK(http_exchange(api, "GET", "/proxies").find("extra") == std::string::npos);
        // The declared proxy carries traffic on its declared port.
        auto r = run_faultline({"--url", "http://127.0.0.1:" + std::to_string(listen_port) + "/", "--rate", "20",
                                "--requests", "5", "-q"},
                               20s);
        INFO(r.out << r.err);
        REQUIRE_FALSE(r.result.empty());
        CHECK(num(r.result.at("status_codes").at("200")) == 5);
        CHECK(num(r.result.at("latency_ms").at("min")) >= 5.0);
        // Change the live state; the restart must not carry it over.
        CHECK(http_exchange(api, "DELETE", "/proxies/web/toxics/slow").rfind("HTTP/1.1 204", 0) == 0);
        CHECK(http_exchange(api, "POST", "/proxies", R"({"name":"extra","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"})")
                  .rfind("HTTP/1.1 201", 0) == 0);
        REQUIRE(proxy.send_signal(SIGTERM));
        CHECK(proxy.wait(5s) == ExitStatus::exited(0));
    }
}

TEST_CASE("a secret given with -e appears in no report, log or summary", "[socket]") {
    DemoTarget target;
    const std::string secret = "tok-9f8e7d6c5b4a";
    TempDir dir;
    const auto scenario = dir.path() / "secret.yaml";
    std::ofstream(scenario) << "name: secret\n"
                               "target: \"" << target.url() << "/base?key={{env.API_TOKEN}}\"\n"
                               "load: { rate: 20/s, duration: 500ms }\n"
                               "slo: { error_rate: 0.5 }\n"
                               "flow:\n"
                               "  - request:\n"
                               "      path: \"/?token={{env.API_TOKEN}}\"\n"
                               "      headers: { Authorization: \"Bearer {{env.API_TOKEN}}\" }\n";
    const auto out = [&](const char* name) { return (dir.path() / name).string(); };
    ChildProcess p({FAULTLINE_BIN, "run", scenario.string(), "-e", "API_TOKEN=" + secret, "--json", out("r.json"),
                    "--html", out("r.html"), "--junit", out("r.xml"), "--hdr-log", out("r.hlog")});
    const auto status = p.wait(20s);
    REQUIRE(status);
    p.wait_for_output_end(5s);
    INFO(p.stdout_text() << p.stderr_text());
    CHECK(*status == ExitStatus::exited(0));
    const auto result = read_text(out("r.json"));
    CHECK(json::parse(result).at("status_codes").at("200").to_number<double>() == 10);  // the secret was sent
    CHECK(p.stdout_text().find(secret) == std::string::npos);
    CHECK(p.stderr_text().find(secret) == std::string::npos);
    for (const char* file : {"r.json", "r.html", "r.xml", "r.hlog"}) {
        INFO(file);
        CHECK(read_text(out(file)).find(secret) == std::string::npos);
    }
    // Where the value would have been, the template is shown as written.
    CHECK(result.find("{{env.API_TOKEN}}") != std::string::npos);
}

TEST_CASE("templates reach the environment only through {{env.NAME}} and never read files", "[validate]") {
    TempDir dir;
    const auto secret_file = dir.path() / "secret.txt";
    std::ofstream(secret_file) << "file-secret-contents";
    for (const std::string& expr : std::vector<std::string>{"{{file.secret}}", "{{" + secret_file.string() + "}}", "{{env}}", "{{ENV.HOME}}",
                                   "{{HOME}}", "{{$HOME}}", "{{env.}}", "{{include " + secret_file.string() + "}}",
                                   "{{ env.HOME.x }}"}) {
        const auto scenario = dir.path() / "t.yaml";
        std::ofstream(scenario) << "target: http://127.0.0.1:1\nload: { rate: 1/s, duration: 1s }\n"
                                   "flow:\n  - request: { path: \"/\", headers: { X: \"" << expr << "\" } }\n";
        ChildProcess p({FAULTLINE_BIN, "validate", scenario.string()});
        const auto status = p.wait(10s);
        REQUIRE(status);
        p.wait_for_output_end(5s);
        INFO(expr << "\n" << p.stdout_text() << p.stderr_text());
        CHECK(*status == ExitStatus::exited(2));
        CHECK(p.stdout_text().find("file-secret-contents") == std::string::npos);
        CHECK(p.stderr_text().find("file-secret-contents") == std::string::npos);
    }
}

TEST_CASE("a template shows values from the environment as {{env.NAME}} in its display text", "[validate]") {
    faultline::TemplateSymbols symbols;
    symbols.statics = {{"base", "/api"}};
    symbols.env = [](std::string_view name) -> std::optional<std::string> {
        if (name == "TOKEN") return std::string("hunter2");
        return std::nullopt;
    };
    faultline::Template t;
    std::vector<faultline::TemplateError> errors;
    REQUIRE(faultline::Template::compile("http://h{{base}}/?k={{ env.TOKEN }}", symbols, t, errors));
    CHECK(t.is_literal());
    CHECK(t.literal_text() == "http://h/api/?k=hunter2");  // what is sent
    CHECK(t.display_text() == "http://h{{base}}/?k={{ env.TOKEN }}");  // what is shown
    t.append_literal("&x=1");
    CHECK(t.display_text() == "http://h{{base}}/?k={{ env.TOKEN }}&x=1");
    CHECK(faultline::Template::literal("plain").display_text() == "plain");
}
