#include "reports/prometheus_text.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "reports/hdr_codec.hpp"

using namespace std::chrono_literals;
using faultline::Histogram;
using faultline::IntervalResult;
using faultline::LiveMetrics;
using faultline::Outcome;

namespace {

IntervalResult interval(std::uint64_t requests, std::vector<std::pair<int, std::uint64_t>> codes,
                        std::initializer_list<std::int64_t> latencies_us) {
    IntervalResult r;
    r.requests = requests;
    r.status_codes = std::move(codes);
    auto h = Histogram::latency_us();
    for (auto v : latencies_us) h.record(v);
    r.hdr = faultline::encode_compressed_base64(h);
    return r;
}

// Text format 0.0.4, strictly: every family announced by one HELP then one TYPE line
// before its samples, samples grouped by family, histogram samples only as
// _bucket/_sum/_count with ascending cumulative buckets ending in +Inf == _count, valid
// names and label syntax, a float value, a final newline. Returns the problems.
std::vector<std::string> format_problems(const std::string& text) {
    std::vector<std::string> problems;
    if (text.empty() || text.back() != '\n') problems.push_back("does not end with a newline");
    static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*)");
    static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
    static const std::regex sample(
        R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*)?\})? (-?[0-9.e+-]+|\+Inf|NaN))");
    std::set<std::string> seen;
    std::string family, family_type;
    double last_bucket = -1, inf_bucket = -1;
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        const auto where = "line " + std::to_string(n) + ": " + line;
        std::smatch m;
        if (std::regex_match(line, m, help)) {
            if (!seen.insert(m[1]).second) problems.push_back("family announced twice: " + where);
            family = m[1];
            family_type.clear();
            last_bucket = inf_bucket = -1;
        } else if (std::regex_match(line, m, type)) {
            if (m[1] != family || !family_type.empty()) problems.push_back("TYPE not right after its HELP: " + where);
            family_type = m[2];
        } else if (std::regex_match(line, m, sample)) {
            const std::string name = m[1];
            const double value = std::stod(m[7].str() == "+Inf" ? "inf" : m[7].str());
            if (family_type.empty()) problems.push_back("sample before HELP/TYPE: " + where);
            if (family_type == "histogram") {
                if (name == family + "_bucket") {
                    if (value < last_bucket) problems.push_back("buckets not cumulative: " + where);
                    last_bucket = value;
                    if (line.find("le=\"+Inf\"") != std::string::npos) inf_bucket = value;
                } else if (name == family + "_count") {
                    if (inf_bucket != value) problems.push_back("+Inf bucket != _count: " + where);
                } else if (name != family + "_sum") {
                    problems.push_back("sample outside its histogram family: " + where);
                }
            } else if (name != family) {
                problems.push_back("sample outside its family: " + where);
            }
            if (family_type == "counter" && !family.ends_with("_total"))
                problems.push_back("counter without _total: " + where);
        } else {
            problems.push_back("not a valid line: " + where);
        }
    }
    return problems;
}

}  // namespace

TEST_CASE("prometheus text: a snapshot of two intervals, exactly") {
    LiveMetrics m;
    m.scenario = "checkout";
    m.shard = "1/3";
    auto a = interval(6, {{200, 5}, {503, 1}}, {500, 500, 500, 1000, 1500, 5002});
    a.errors[Outcome::http_5xx] = 1;
    a.errors[Outcome::success] = 5;
    auto b = interval(4, {{404, 1}, {200, 2}}, {30'000, 12'000'000});
    b.errors[Outcome::timeout] = 1;
    b.errors[Outcome::http_4xx] = 1;
    faultline::add_interval(m, a, 1s);
    faultline::add_interval(m, b, 2s);
    m.elapsed_s = 2.5;
    m.active_fault = "db latency";

    // Latency sum: median-equivalent values. 5002 lies in [5000, 5003] (median 5002),
    // 30000 in [30000, 30015] (30008), 12'000'000 in [11'993'088, 12'001'279] (11'997'184).
    // Buckets: 5002 counts under le=0.005 because its index holds 5000 (the HdrHistogram
    // rule); 12 s is above every bound but +Inf.
    CHECK(faultline::prometheus_text(m) ==
          "# HELP faultline_run_info The run this process serves: scenario and shard (I/N).\n"
          "# TYPE faultline_run_info gauge\n"
          "faultline_run_info{scenario=\"checkout\",shard=\"1/3\"} 1\n"
          "# HELP faultline_elapsed_seconds Time since the run's origin (negative during warm-up).\n"
          "# TYPE faultline_elapsed_seconds gauge\n"
          "faultline_elapsed_seconds 2.5\n"
          "# HELP faultline_requests_total Requests issued, counted when their interval closes.\n"
          "# TYPE faultline_requests_total counter\n"
          "faultline_requests_total 10\n"
          "# HELP faultline_responses_total Requests that got an HTTP response, by status code.\n"
          "# TYPE faultline_responses_total counter\n"
          "faultline_responses_total{code=\"200\"} 7\n"
          "faultline_responses_total{code=\"404\"} 1\n"
          "faultline_responses_total{code=\"503\"} 1\n"
          "# HELP faultline_errors_total Failed requests and dropped arrivals, by error class.\n"
          "# TYPE faultline_errors_total counter\n"
          "faultline_errors_total{class=\"connect_refused\"} 0\n"
          "faultline_errors_total{class=\"connect_timeout\"} 0\n"
          "faultline_errors_total{class=\"timeout\"} 1\n"
          "faultline_errors_total{class=\"reset\"} 0\n"
          "faultline_errors_total{class=\"protocol\"} 0\n"
          "faultline_errors_total{class=\"tls\"} 0\n"
          "faultline_errors_total{class=\"dns\"} 0\n"
          "faultline_errors_total{class=\"http_4xx\"} 1\n"
          "faultline_errors_total{class=\"http_5xx\"} 1\n"
          "faultline_errors_total{class=\"dropped\"} 0\n"
          "faultline_errors_total{class=\"check\"} 0\n"
          "# HELP faultline_latency_seconds Corrected latency of completed requests, from the intended send time.\n"
          "# TYPE faultline_latency_seconds histogram\n"
          "faultline_latency_seconds_bucket{le=\"0.001\"} 4\n"
          "faultline_latency_seconds_bucket{le=\"0.002\"} 5\n"
          "faultline_latency_seconds_bucket{le=\"0.005\"} 6\n"
          "faultline_latency_seconds_bucket{le=\"0.01\"} 6\n"
          "faultline_latency_seconds_bucket{le=\"0.025\"} 6\n"
          "faultline_latency_seconds_bucket{le=\"0.05\"} 7\n"
          "faultline_latency_seconds_bucket{le=\"0.1\"} 7\n"
          "faultline_latency_seconds_bucket{le=\"0.25\"} 7\n"
          "faultline_latency_seconds_bucket{le=\"0.5\"} 7\n"
          "faultline_latency_seconds_bucket{le=\"1\"} 7\n"
          "faultline_latency_seconds_bucket{le=\"2.5\"} 7\n"
          "faultline_latency_seconds_bucket{le=\"5\"} 7\n"
          "faultline_latency_seconds_bucket{le=\"10\"} 7\n"
          "faultline_latency_seconds_bucket{le=\"+Inf\"} 8\n"
          "faultline_latency_seconds_sum 12.036194\n"
          "faultline_latency_seconds_count 8\n"
          "# HELP faultline_rate_per_second Requests per second in the last closed interval.\n"
          "# TYPE faultline_rate_per_second gauge\n"
          "faultline_rate_per_second 2\n"
          "# HELP faultline_fault_active 1 while a fault of this run is applied, labelled with it.\n"
          "# TYPE faultline_fault_active gauge\n"
          "faultline_fault_active{fault=\"db latency\"} 1\n");
    CHECK(format_problems(faultline::prometheus_text(m)).empty());
}

TEST_CASE("prometheus text: an empty snapshot has every family, zero counts and no fault") {
    const LiveMetrics m;
    const auto text = faultline::prometheus_text(m);
    const auto problems = format_problems(text);
    for (const auto& p : problems) UNSCOPED_INFO(p);
    CHECK(problems.empty());
    CHECK(text.find("faultline_run_info{scenario=\"\",shard=\"\"} 1\n") != std::string::npos);
    CHECK(text.find("faultline_requests_total 0\n") != std::string::npos);
    CHECK(text.find("faultline_latency_seconds_bucket{le=\"+Inf\"} 0\n") != std::string::npos);
    CHECK(text.find("faultline_latency_seconds_sum 0\n") != std::string::npos);
    CHECK(text.find("faultline_fault_active 0\n") != std::string::npos);
    CHECK(text.find("# TYPE faultline_responses_total counter\n# HELP faultline_errors_total") != std::string::npos);
}

TEST_CASE("prometheus text: label values are escaped") {
    LiveMetrics m;
    m.scenario = "a\"b\\c\nd";
    m.active_fault = "x\"y";
    const auto text = faultline::prometheus_text(m);
    CHECK(text.find("scenario=\"a\\\"b\\\\c\\nd\"") != std::string::npos);
    CHECK(text.find("faultline_fault_active{fault=\"x\\\"y\"} 1\n") != std::string::npos);
    CHECK(format_problems(text).empty());
}

TEST_CASE("prometheus text: bucket edges follow the HdrHistogram index of each bound") {
    // 1 ms sits exactly on a bound; 10'002'000 us shares the index of 10 s
    // ([9'994'240, 10'002'431]), so it counts under le=10; 10'002'432 starts the next index.
    LiveMetrics m;
    faultline::add_interval(m, interval(4, {}, {1000, 1001, 10'002'000, 10'002'432}), 1s);
    const auto text = faultline::prometheus_text(m);
    CHECK(text.find("faultline_latency_seconds_bucket{le=\"0.001\"} 1\n") != std::string::npos);
    CHECK(text.find("faultline_latency_seconds_bucket{le=\"0.002\"} 2\n") != std::string::npos);
    CHECK(text.find("faultline_latency_seconds_bucket{le=\"5\"} 2\n") != std::string::npos);
    CHECK(text.find("faultline_latency_seconds_bucket{le=\"10\"} 3\n") != std::string::npos);
    CHECK(text.find("faultline_latency_seconds_bucket{le=\"+Inf\"} 4\n") != std::string::npos);
    CHECK(m.rate_per_s == 4);
}

TEST_CASE("prometheus text: add_interval keeps status codes ascending and counters cumulative") {
    LiveMetrics m;
    faultline::add_interval(m, interval(3, {{503, 1}, {200, 2}}, {}), 250ms);
    faultline::add_interval(m, interval(1, {{200, 1}, {301, 1}}, {}), 250ms);
    CHECK(m.status_codes == std::vector<std::pair<int, std::uint64_t>>{{200, 3}, {301, 1}, {503, 1}});
    CHECK(m.requests == 4);
    CHECK(m.rate_per_s == 4);
    CHECK(m.latency_us.total_count() == 0);
}
