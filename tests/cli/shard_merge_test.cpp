// Distributed runs (docs/distributed.md): the flags' parsing (unit), and three shards of one
// load against the demo target, merged, against one process sending the whole load (socket).
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "cli/distributed_flags.hpp"
#include "common/clock.hpp"
#include "reports/hdr_codec.hpp"
#include "tests/cli/run_harness.hpp"

using namespace std::chrono_literals;
using namespace faultline::test;
namespace json = boost::json;

namespace {


json::object read_json(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str()).as_object();
}

}  // namespace

TEST_CASE("the shard flag takes I/N, 0-based") {
    auto s = faultline::parse_shard("2/3");
    REQUIRE(s);
    CHECK(s->index == 2);
    CHECK(s->count == 3);
    CHECK(faultline::parse_shard("0/1"));
    for (const char* bad : {"3/3", "1", "a/3", "1/0", "-1/3", "1/3/4", "/3", ""}) {
        INFO(bad);
        const auto p = faultline::parse_shard(bad);
        CHECK_FALSE(p);
        CHECK_THAT(p.error, Catch::StartsWith("--shard: "));
    }
}

TEST_CASE("the start-at flag takes RFC 3339 or Unix milliseconds") {
    const auto ms = [](const char* text) {
        auto p = faultline::parse_start_at(text);
        INFO(text << ": " << p.error);
        REQUIRE(p);
        return *p;
    };
    CHECK(ms("1970-01-01T00:00:00Z") == 0);
    CHECK(ms("2026-11-27T10:00:00Z") == 1'795'773'600'000);
    CHECK(ms("2026-11-27T10:00:00.250Z") == 1'795'773'600'250);
    CHECK(ms("2026-11-27T10:00:00.2509z") == 1'795'773'600'250);  // below 1 ms is dropped
    CHECK(ms("2026-11-27t11:30:00.5+01:30") == 1'795'773'600'500);
    CHECK(ms("2026-11-27 05:00:00-05:00") == 1'795'773'600'000);
    CHECK(ms("2024-02-29T00:00:00Z") == 1'709'164'800'000);  // a leap day
    CHECK(ms("1795773600000") == 1'795'773'600'000);
    for (const char* bad : {"2026-11-27T10:00:00", "2026-11-27", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
                            "2026-11-27T24:00:00Z", "2026-11-27T10:00:00.Z", "2026-11-27T10:00:00+1:00", "1795773600",
                            "tomorrow", "2026-11-27T10:00:00Zjunk"}) {
        INFO(bad);
        const auto p = faultline::parse_start_at(bad);
        CHECK_FALSE(p);
        CHECK_THAT(p.error, Catch::StartsWith("--start-at: "));
    }
}

TEST_CASE("distributed flags are checked against the scenario") {
    faultline::Scenario s;
    s.load.stages = {faultline::Stage{10s, 300.0, 0}};
    s.http.connections = 4;
    faultline::RunOptions o;
    faultline::RunSettings settings;
    std::vector<std::string> errors;
    SECTION("a start in the past") {
        o.start_at = "1795773600000";
        faultline::apply_distribution(o, s, 1'795'773'600'000 + 1'500, settings, errors);
        REQUIRE(errors.size() == 1);
        CHECK_THAT(errors[0], Catch::Contains("1.500 s in the past"));
        errors.clear();
        faultline::apply_distribution(o, s, 1'795'773'600'000 + 900, settings, errors);  // within the 1 s accepted
        CHECK(errors.empty());
        CHECK(settings.origin_unix_ms == 1'795'773'600'000);
    }
    SECTION("more threads than the shard's connections") {
        o.shard = "2/3";
        settings.threads = 2;
        faultline::apply_distribution(o, s, 0, settings, errors);
        REQUIRE(errors.size() == 1);
        CHECK_THAT(errors[0], Catch::Contains("shard 2/3 gets 1 of the 4 connections"));
    }
    SECTION("faults need exactly one process") {
        o.shard = "0/2";
        s.chaos.faults.push_back(faultline::FaultDecl{});
        faultline::apply_distribution(o, s, 0, settings, errors);
        REQUIRE(errors.size() == 1);
        CHECK_THAT(errors[0], Catch::Contains("--no-faults") && Catch::Contains("--faults-only"));
        errors.clear();
        o.no_faults = true;
        faultline::apply_distribution(o, s, 0, settings, errors);
        CHECK(errors.empty());
    }
    SECTION("--faults-only needs toxiproxy: and --start-at") {
        o.faults_only = true;
        o.scenario_file = "chaos.yaml";
        s.chaos.faults.push_back(faultline::FaultDecl{});
        faultline::apply_distribution(o, s, 0, settings, errors);
        REQUIRE(errors.size() == 2);
        CHECK_THAT(errors[0], Catch::Contains("--faults-only: needs --start-at"));
        CHECK_THAT(errors[1], Catch::Contains("--faults-only") && Catch::Contains("toxiproxy:"));
    }
    SECTION("a sequential data feed needs a row per shard") {
        o.shard = "2/3";  // rows 0 and 1 go to shards 0 and 1
        s.data.push_back(faultline::DataFeed{"users", {"name"}, {{"a"}, {"b"}}, false});
        faultline::apply_distribution(o, s, 0, settings, errors);
        REQUIRE(errors.size() == 1);
        CHECK_THAT(errors[0], Catch::Contains("data feed 'users' has 2 rows"));
    }
}

TEST_CASE("three shards started together merge into the single-process run", "[socket]") {
    DemoTarget target;
    TempDir dir;
    const int rate = 300;
    const std::int64_t start_ms = faultline::unix_time_ms() + 2500;
    std::vector<ChildProcess> shards;
    for (int i = 0; i < 3; ++i)
        shards.emplace_back(std::vector<std::string>{
            FAULTLINE_BIN, "run", "--url", target.url() + "/", "--rate", std::to_string(rate), "--duration", "3s",
            "--shard", std::to_string(i) + "/3", "--start-at", std::to_string(start_ms), "--quiet", "--json",
            (dir.path() / ("shard" + std::to_string(i) + ".json")).string()});
    std::vector<json::object> parts;
    for (int i = 0; i < 3; ++i) {
        const auto status = shards[static_cast<std::size_t>(i)].wait(60s);
        REQUIRE(status);
        shards[static_cast<std::size_t>(i)].wait_for_output_end(5s);
        INFO(shards[static_cast<std::size_t>(i)].stderr_text());
        REQUIRE(*status == ExitStatus::exited(0));
        parts.push_back(read_json(dir.path() / ("shard" + std::to_string(i) + ".json")));
    }
    for (int i = 0; i < 3; ++i) {
        const auto& p = parts[static_cast<std::size_t>(i)];
        CHECK(p.at("start_unix_ms").to_number<std::int64_t>() == start_ms);  // every shard on the same origin
        CHECK(num(p.at("shard").at("index")) == i);
        CHECK(num(p.at("shard").at("count")) == 3);
        CHECK(num(p.at("requests")) == 300);  // 900 arrivals, interleaved
        CHECK(p.at("scenario_sha256") == parts[0].at("scenario_sha256"));
    }

    const auto merged_path = dir.path() / "merged.json";
    ChildProcess merge(std::vector<std::string>{FAULTLINE_BIN, "report", "merge", (dir.path() / "shard0.json").string(),
                                                (dir.path() / "shard1.json").string(), (dir.path() / "shard2.json").string(),
                                                "-o", merged_path.string(), "--html", (dir.path() / "merged.html").string()});
    const auto merge_status = merge.wait(30s);
    REQUIRE(merge_status);
    merge.wait_for_output_end(5s);
    INFO(merge.stdout_text() << merge.stderr_text());
    REQUIRE(*merge_status == ExitStatus::exited(0));
    CHECK(std::filesystem::file_size(dir.path() / "merged.html") > 1000);
    const auto merged = read_json(merged_path);

    // Totals are the sums.
    for (const char* key : {"requests", "completed", "responses"}) {
        double sum = 0;
        for (const auto& p : parts) sum += num(p.at(key));
        INFO(key);
        CHECK(num(merged.at(key)) == sum);
    }
    CHECK(num(merged.at("requests")) == 900);
    CHECK(num(merged.at("status_codes").at("200")) == 900);
    CHECK(merged.at("start_unix_ms").to_number<std::int64_t>() == start_ms);
    CHECK(merged.find("shard") == merged.end());
    // The merged P99 is the P99 of the union of the raw histograms, not an average.
    auto all = faultline::Histogram::latency_us();
    for (const auto& p : parts) all.add(faultline::decode_compressed_base64(p.at("hdr").as_string()));
    const double union_p99_ms = static_cast<double>(all.value_at_percentile(99)) / 1000.0;
    CHECK(num(merged.at("latency_ms").at("p99")) == Approx(union_p99_ms).margin(0.0005));
    CHECK(faultline::decode_compressed_base64(merged.at("hdr").as_string()).total_count() == all.total_count());
    // Interval by interval too.
    const auto& merged_intervals = merged.at("intervals").as_array();
    double interval_requests = 0;
    for (const auto& i : merged_intervals) interval_requests += num(i.at("requests"));
    CHECK(interval_requests == 900);

    // One process at the whole rate: the same achieved rate within 2 %.
    auto single = run_faultline({"--url", target.url() + "/", "--rate", std::to_string(rate), "--duration", "3s", "--quiet"});
    REQUIRE(single.status == ExitStatus::exited(0));
    const double single_rps = num(single.result.at("rps"));
    const double merged_rps = num(merged.at("rps"));
    INFO("merged rps " << merged_rps << ", single-process rps " << single_rps << ", ratio " << merged_rps / single_rps);
    WARN("shard merge: merged rps " << merged_rps << ", single-process rps " << single_rps << ", ratio "
                                    << merged_rps / single_rps);
    CHECK(num(single.result.at("requests")) == 900);
    CHECK(merged_rps == Approx(single_rps).epsilon(0.02));
}

TEST_CASE("report merge refuses results of different scenarios", "[socket]") {
    DemoTarget target;
    TempDir dir;
    const auto a = dir.path() / "a.json", b = dir.path() / "b.json";
    for (const auto& [path, query] : {std::pair{a, ""}, std::pair{b, "?other"}}) {
        ChildProcess run(std::vector<std::string>{FAULTLINE_BIN, "run", "--url", target.url() + "/" + query, "--rate", "50",
                                                  "--duration", "1s", "--quiet", "--json", path.string()});
        const auto status = run.wait(30s);
        REQUIRE(status);
        REQUIRE(*status == ExitStatus::exited(0));
    }
    ChildProcess merge(std::vector<std::string>{FAULTLINE_BIN, "report", "merge", a.string(), b.string(), "-o",
                                                (dir.path() / "m.json").string()});
    const auto status = merge.wait(30s);
    REQUIRE(status);
    merge.wait_for_output_end(5s);
    CHECK(*status == ExitStatus::exited(2));
    CHECK_THAT(merge.stderr_text(), Catch::Contains("scenario") && Catch::Contains("--force"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "m.json"));
}
