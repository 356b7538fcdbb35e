#include "reports/result_reader.hpp"

#include <boost/json.hpp>
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "reports/base64.hpp"
#include "reports/hdr_codec.hpp"
#include "reports/json_field.hpp"
#include "reports/verdict_reader.hpp"

namespace faultline {
namespace json = boost::json;
namespace {

Duration seconds(double s) { return Duration(std::llround(s * 1e9)); }

Histogram read_histogram(const JsonField& f) {
    std::vector<std::uint8_t> bytes;
    try {
        bytes = base64_decode(f.string());
    } catch (const std::invalid_argument& e) {
        f.fail(fmt::format("not valid base64 ({})", e.what()));
    }
    try {
        auto h = decode_compressed(bytes);
        const auto standard = Histogram::latency_us();
        // Merging adds histograms, which needs one layout everywhere.
        if (h.lowest_discernible() != standard.lowest_discernible() ||
            h.highest_trackable() != standard.highest_trackable() ||
            h.significant_digits() != standard.significant_digits())
            f.fail(fmt::format("histogram of {}..{} with {} digits, expected faultline's 1..3600000000 us with 3",
                               h.lowest_discernible(), h.highest_trackable(), h.significant_digits()));
        return h;
    } catch (const HdrDecodeError& e) {
        f.fail(e.what());
    }
}

std::vector<std::pair<int, std::uint64_t>> read_status_codes(const JsonField& f) {
    std::vector<std::pair<int, std::uint64_t>> out;
    for (const auto& kv : f.object()) {
        const std::string key(kv.key());
        if (key.size() != 3 || key.find_first_not_of("0123456789") != std::string::npos)
            f[key].fail("not an HTTP status code");
        out.emplace_back(std::stoi(key), f[key].count());
    }
    std::sort(out.begin(), out.end());
    return out;
}

OutcomeCounts read_errors(const JsonField& f) {
    OutcomeCounts c;
    for (std::size_t i = 1; i < kOutcomeCount; ++i)
        if (auto n = f.find(outcome_name(static_cast<Outcome>(i)))) c.n[i] = n->count();
    return c;
}

std::uint64_t sum_counts(const std::vector<std::pair<int, std::uint64_t>>& codes) {
    std::uint64_t n = 0;
    for (auto [code, count] : codes) n += count;
    return n;
}

IntervalResult read_interval(const JsonField& f) {
    IntervalResult i;
    i.t_s = f["t_s"].number();
    i.requests = f["requests"].count();
    i.status_codes = read_status_codes(f["status_codes"]);
    // Every response has a status: the interval's responses are its status counts.
    i.responses = sum_counts(i.status_codes);
    i.errors = read_errors(f["errors"]);
    i.error_rate = f["error_rate"].number();
    i.p50_ms = f["p50_ms"].number();
    i.p95_ms = f["p95_ms"].number();
    i.p99_ms = f["p99_ms"].number();
    i.max_ms = f["max_ms"].number();
    const auto hdr = f["hdr"];
    read_histogram(hdr);  // fail here, naming the field, rather than later in an analysis
    i.hdr = hdr.string();
    return i;
}

std::vector<IntervalResult> read_intervals(const JsonField& f) {
    std::vector<IntervalResult> out;
    out.reserve(f.size());
    for (std::size_t i = 0; i < f.size(); ++i) out.push_back(read_interval(f[i]));
    return out;
}

// The figures every scope has (totals, steps, warm-up). Only the totals must have intervals
// (the warm-up has none).
void read_stats(const JsonField& f, RunResult& r, bool intervals_required) {
    r.duration_s = f["duration_s"].number();
    r.requests = f["requests"].count();
    r.rps = f["rps"].number();
    r.status_codes = read_status_codes(f["status_codes"]);
    r.errors = read_errors(f["errors"]);
    r.error_rate = f["error_rate"].number();
    r.saturated = f.find("saturated") ? f["saturated"].count() : 0;
    r.responses = f.find("responses") ? f["responses"].count() : sum_counts(r.status_codes);
    // Files without `completed` predate it; their runs drained, so every request ended.
    r.completed = f.find("completed") ? f["completed"].count() : r.requests;
    // `errors` lists failures only; success is what completed without one (dropped
    // arrivals are not requests, so they never completed).
    const auto failed = r.errors.failures() - r.errors[Outcome::dropped];
    r.errors[Outcome::success] = r.completed > failed ? r.completed - failed : 0;
    if (auto h = f.find("hdr")) r.latency = read_histogram(*h);
    if (auto h = f.find("service_time_hdr")) r.service_time = read_histogram(*h);
    if (intervals_required) r.intervals = read_intervals(f["intervals"]);
    else if (auto iv = f.find("intervals")) r.intervals = read_intervals(*iv);
}

RunInfo read_info(const JsonField& f) {
    RunInfo info;
    if (auto s = f.find("scenario")) info.scenario = s->string();
    info.url = f["url"].string();
    info.method = f["method"].string();
    const auto model = f["model"].string();
    if (model != "open" && model != "closed") f["model"].fail("expected \"open\" or \"closed\"");
    info.open_model = model == "open";
    if (auto v = f.find("rate_per_s")) info.asked_rate_per_s = v->number();
    if (auto v = f.find("vus")) info.vus = static_cast<int>(v->integer());
    info.connections = static_cast<int>(f["connections"].integer());
    info.threads = static_cast<int>(f["threads"].integer());
    info.interval = seconds(f["interval_s"].number());
    if (info.interval.count() <= 0) f["interval_s"].fail("must be positive");
    if (auto v = f.find("duration_s")) info.asked_duration = seconds(v->number());
    if (auto v = f.find("requests")) info.asked_requests = v->count();
    return info;
}

StepResult read_step(const JsonField& f, const RunInfo& info) {
    StepResult s;
    s.name = f["name"].string();
    s.stats.info = info;  // a step runs under the run's settings (its interval, above all)
    read_stats(f, s.stats, false);
    if (auto c = f.find("checks")) {
        auto get = [&](const char* k) { return c->find(k) ? (*c)[k].count() : 0; };
        s.checks_status = get("status");
        s.checks_body_contains = get("body_contains");
        s.checks_json = get("json");
        s.checks_latency = get("latency");
    }
    return s;
}

RunResult read_root(const JsonField& root) {
    RunResult r;
    r.info = read_info(root["run"]);
    r.start_unix_ms = root["start_unix_ms"].integer();
    if (auto h = root.find("scenario_sha256")) r.scenario_sha256 = h->string();
    if (auto sh = root.find("shard")) {
        const auto count = (*sh)["count"].integer();
        const auto index = (*sh)["index"].integer();
        if (count < 1) (*sh)["count"].fail("must be at least 1");
        if (index < 0 || index >= count) (*sh)["index"].fail(fmt::format("must be in 0..{}", count - 1));
        r.shard = ShardId{static_cast<unsigned>(index), static_cast<unsigned>(count)};
    }
    read_stats(root, r, true);
    r.interrupted = root.find("interrupted") && root["interrupted"].boolean();
    if (auto v = root.find("generator_cpu_pct")) r.generator_cpu_pct = v->number();
    if (auto h = root.find("send_lag_hdr")) r.send_lag = read_histogram(*h);
    if (auto h = root.find("loop_lag_hdr")) r.loop_lag = read_histogram(*h);
    r.generator_bottleneck = root.find("generator_bottleneck") && root["generator_bottleneck"].boolean();
    if (auto w = root.find("warnings")) r.warnings = w->strings();
    if (auto v = root.find("no_response_reason")) r.no_response_reason = v->string();
    if (auto steps = root.find("steps"))
        for (std::size_t i = 0; i < steps->size(); ++i) r.steps.push_back(read_step((*steps)[i], r.info));
    if (auto w = root.find("warmup")) {
        auto warm = std::make_shared<RunResult>();
        warm->info = r.info;
        read_stats(*w, *warm, false);
        r.warmup = std::move(warm);
    }
    read_verdict(root, r);
    return r;
}

}  // namespace

RunResult read_result_json(std::string_view text, const std::string& source) {
    json::error_code ec;
    const json::value v = json::parse(text, ec);
    if (ec) throw ResultReadError(fmt::format("{}: not valid JSON: {}", source, ec.message()));
    const JsonField root(v, "", source);
    root.object();
    return read_root(root);
}

RunResult read_result_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ResultReadError(fmt::format("{}: cannot open", path.string()));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) throw ResultReadError(fmt::format("{}: cannot read", path.string()));
    return read_result_json(ss.str(), path.string());
}

}  // namespace faultline
