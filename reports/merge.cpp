#include "reports/merge.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "reports/base64.hpp"
#include "reports/interval_accumulator.hpp"

namespace faultline {
namespace {

// One input's place on the merged timeline.
struct Placement {
    std::int64_t interval_offset = 0;  // its interval j is merged interval j + interval_offset
    double offset_s = 0;               // its origin, in seconds after the merged origin
};

struct Scope {
    const RunResult* stats;
    Placement at;
};

void add_intervals(std::map<std::int64_t, IntervalAccumulator>& sums, const std::vector<IntervalResult>& intervals,
                   std::int64_t offset) {
    for (std::size_t j = 0; j < intervals.size(); ++j) {
        const auto& i = intervals[j];
        ClosedInterval piece;
        piece.index = static_cast<std::int64_t>(j) + offset;
        piece.requests = i.requests;
        piece.status_codes = i.status_codes;
        piece.errors = i.errors;
        piece.hdr_compressed = base64_decode(i.hdr);
        sums[piece.index].add(piece);
    }
}

// Totals, a step or the warm-up of every input added up.
RunResult merge_scope(const std::vector<Scope>& scopes, Duration interval) {
    RunResult r;
    StatusCounts status;
    std::map<std::int64_t, IntervalAccumulator> sums;
    double end_s = 0;
    for (const auto& [s, at] : scopes) {
        r.requests += s->requests;
        r.completed += s->completed;
        r.responses += s->responses;
        for (auto [code, n] : s->status_codes) status.count(code, n);
        r.errors.add(s->errors);
        r.saturated += s->saturated;
        r.latency.add(s->latency);
        r.service_time.add(s->service_time);
        r.send_lag.add(s->send_lag);
        r.loop_lag.add(s->loop_lag);
        end_s = std::max(end_s, at.offset_s + s->duration_s);
        add_intervals(sums, s->intervals, at.interval_offset);
    }
    r.status_codes = status.sparse();
    r.error_rate = error_rate(r.errors, r.requests);
    r.duration_s = end_s;
    r.rps = end_s > 0 ? static_cast<double>(r.completed) / end_s : 0.0;
    const double interval_s = std::chrono::duration<double>(interval).count();
    // As for a single run: every interval from the origin to the end, empty ones included.
    std::int64_t last = sums.empty() ? -1 : sums.rbegin()->first;
    if (end_s > 0) last = std::max(last, static_cast<std::int64_t>((end_s - 1e-9) / interval_s));
    const IntervalAccumulator empty;
    for (std::int64_t i = 0; i <= last; ++i) {
        const auto it = sums.find(i);
        r.intervals.push_back((it != sums.end() ? it->second : empty).result(i, interval_s));
    }
    return r;
}

std::string duration_text(Duration d) { return fmt::format("{:g} s", std::chrono::duration<double>(d).count()); }

// Interval lengths, scenarios and shards; every problem found.
void check_inputs(const std::vector<NamedResult>& in, const MergeOptions& o, std::vector<std::string>& errors,
                  std::vector<std::string>& warnings) {
    const auto& first = in.front();
    std::set<unsigned> indexes;
    for (const auto& x : in) {
        const auto& r = x.result;
        if (r.info.interval != first.result.info.interval)
            errors.push_back(fmt::format("{}: --interval {} but {} has {}: intervals of different lengths cannot be merged",
                                         x.name, duration_text(r.info.interval), first.name,
                                         duration_text(first.result.info.interval)));
        if (r.info.threads == 0 && r.requests == 0)
            errors.push_back(fmt::format("{}: holds no load (a --faults-only result?); give it with --faults", x.name));
        if (r.scenario_sha256 != first.result.scenario_sha256) {
            const auto text = fmt::format("{}: scenario {} differs from {}'s ({})", x.name,
                                          r.scenario_sha256.empty() ? "unknown" : r.scenario_sha256.substr(0, 12), first.name,
                                          first.result.scenario_sha256.empty() ? "unknown" : first.result.scenario_sha256.substr(0, 12));
            if (o.force) warnings.push_back(text + "; merged with --force");
            else errors.push_back(text + " (--force merges anyway)");
        }
        const ShardId a = r.shard, b = first.result.shard;
        std::string shard_problem;
        if (a.count != b.count)
            shard_problem = fmt::format("{}: shard {}/{} but {} is shard {}/{}", x.name, a.index, a.count, first.name, b.index, b.count);
        else if (a.count > 1 && !indexes.insert(a.index).second)
            shard_problem = fmt::format("{}: shard {}/{} is given twice", x.name, a.index, a.count);
        if (!shard_problem.empty()) {
            if (o.force) warnings.push_back(shard_problem + "; merged with --force");
            else errors.push_back(shard_problem + " (--force merges anyway)");
        }
    }
    const unsigned count = first.result.shard.count;
    if (count > 1 && errors.empty() && indexes.size() < count) {
        std::string missing;
        for (unsigned i = 0; i < count; ++i)
            if (!indexes.count(i)) missing += fmt::format("{}{}", missing.empty() ? "" : ", ", i);
        warnings.push_back(fmt::format("shard(s) {} of {} not merged: the result holds only part of the load", missing, count));
    }
}

// Where each input sits on the merged timeline; the origin is the earliest start.
std::vector<Placement> place(const std::vector<NamedResult>& in, std::int64_t origin_ms, const MergeOptions& o,
                             std::vector<std::string>& errors, std::vector<std::string>& warnings) {
    std::vector<Placement> out;
    const auto interval_ns = in.front().result.info.interval.count();
    for (const auto& x : in) {
        const std::int64_t offset_ms = x.result.start_unix_ms - origin_ms;
        const std::int64_t offset_ns = offset_ms * 1'000'000;
        Placement p{offset_ns / interval_ns, static_cast<double>(offset_ms) / 1000.0};
        if (offset_ns % interval_ns != 0) {
            const auto rounded = static_cast<std::int64_t>(std::llround(static_cast<double>(offset_ns) / static_cast<double>(interval_ns)));
            const auto text = fmt::format("{}: starts {} ms after the earliest input, not a whole number of {} intervals",
                                          x.name, offset_ms, duration_text(in.front().result.info.interval));
            if (o.force) {
                warnings.push_back(text + fmt::format("; its intervals were moved to the nearest boundary (--force)"));
                p.interval_offset = rounded;
            } else {
                errors.push_back(text + " (start the shards with the same --start-at; --force rounds)");
            }
        }
        out.push_back(p);
    }
    return out;
}

RunInfo merged_info(const std::vector<NamedResult>& in) {
    RunInfo info = in.front().result.info;
    info.asked_rate_per_s = 0;
    info.vus = info.connections = info.threads = 0;
    bool all_requests = true;
    std::uint64_t requests = 0;
    for (const auto& x : in) {
        const auto& i = x.result.info;
        info.asked_rate_per_s += i.asked_rate_per_s;
        info.vus += i.vus;
        info.connections += i.connections;
        info.threads += i.threads;
        if (i.asked_duration && (!info.asked_duration || *i.asked_duration > *info.asked_duration)) info.asked_duration = i.asked_duration;
        all_requests = all_requests && i.asked_requests.has_value();
        requests += i.asked_requests.value_or(0);
    }
    info.asked_requests = all_requests ? std::optional<std::uint64_t>(requests) : std::nullopt;
    return info;
}

std::vector<FaultWindow> shifted(const std::vector<FaultImpact>& faults, double by_s) {
    std::vector<FaultWindow> out;
    for (const auto& f : faults) {
        FaultWindow w = f.window;
        w.start_s += by_s;
        w.end_s += by_s;
        if (w.applied_start_s) *w.applied_start_s += by_s;
        if (w.applied_end_s) *w.applied_end_s += by_s;
        out.push_back(std::move(w));
    }
    return out;
}

bool same_windows(const std::vector<FaultWindow>& a, const std::vector<FaultWindow>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const FaultWindow& x, const FaultWindow& y) {
        return x.proxies == y.proxies && x.service == y.service && x.type == y.type &&
               std::abs(x.start_s - y.start_s) < 1e-6 && std::abs(x.end_s - y.end_s) < 1e-6;
    });
}

// The windows to analyse: the fault process's, or the inputs' own when they all agree.
std::vector<FaultWindow> pick_windows(const std::vector<NamedResult>& in, const std::vector<Placement>& at,
                                      const NamedResult* faults, std::int64_t origin_ms, const MergeOptions& o,
                                      std::vector<std::string>& errors, std::vector<std::string>& warnings) {
    if (faults) {
        const auto& f = faults->result;
        if (f.scenario_sha256 != in.front().result.scenario_sha256) {
            const auto text = fmt::format("{}: the fault process ran another scenario than {}", faults->name, in.front().name);
            if (o.force) warnings.push_back(text + "; merged with --force");
            else errors.push_back(text + " (--force merges anyway)");
        }
        return shifted(f.faults, static_cast<double>(f.start_unix_ms - origin_ms) / 1000.0);
    }
    std::vector<FaultWindow> windows = shifted(in.front().result.faults, at.front().offset_s);
    for (std::size_t k = 1; k < in.size(); ++k)
        if (!same_windows(windows, shifted(in[k].result.faults, at[k].offset_s))) {
            warnings.push_back(fmt::format("{} and {} carry different fault windows: none analysed (give the fault "
                                           "process's result with --faults)", in.front().name, in[k].name));
            return {};
        }
    return windows;
}

void merge_steps(RunResult& r, const std::vector<NamedResult>& in, const std::vector<Placement>& at) {
    std::vector<std::string> names;
    for (const auto& x : in)
        for (const auto& s : x.result.steps)
            if (std::find(names.begin(), names.end(), s.name) == names.end()) names.push_back(s.name);
    for (const auto& name : names) {
        StepResult step;
        step.name = name;
        std::vector<Scope> scopes;
        for (std::size_t k = 0; k < in.size(); ++k)
            for (const auto& s : in[k].result.steps)
                if (s.name == name) {
                    scopes.push_back({&s.stats, at[k]});
                    step.checks_status += s.checks_status;
                    step.checks_body_contains += s.checks_body_contains;
                    step.checks_json += s.checks_json;
                    step.checks_latency += s.checks_latency;
                }
        step.stats = merge_scope(scopes, r.info.interval);
        step.stats.info = r.info;
        r.steps.push_back(std::move(step));
    }
}

void merge_run_flags(RunResult& r, const std::vector<NamedResult>& in) {
    for (const auto& x : in) {
        const auto& s = x.result;
        r.generator_cpu_pct = std::max(r.generator_cpu_pct, s.generator_cpu_pct);
        r.generator_bottleneck = r.generator_bottleneck || s.generator_bottleneck;
        for (const auto& w : s.warnings) r.warnings.push_back(fmt::format("{}: {}", x.name, w));
        r.interrupted = r.interrupted || s.interrupted;
        if (s.aborted && !r.aborted) r.abort_reason = fmt::format("{}: {}", x.name, s.abort_reason);
        r.aborted = r.aborted || s.aborted;
        if (r.responses == 0 && r.no_response_reason.empty() && !s.no_response_reason.empty())
            r.no_response_reason = fmt::format("{}: {}", x.name, s.no_response_reason);
        for (const auto& l : s.service_logs)
            if (std::find(r.service_logs.begin(), r.service_logs.end(), l) == r.service_logs.end()) r.service_logs.push_back(l);
    }
    if (r.responses == 0 && r.no_response_reason.empty()) r.no_response_reason = "no request was sent";
}

}  // namespace

MergeOutcome merge_results(const std::vector<NamedResult>& in, const NamedResult* faults, const MergeOptions& o) {
    MergeOutcome out;
    if (in.empty()) {
        out.errors.push_back("no result to merge");
        return out;
    }
    std::vector<std::string> warnings;
    check_inputs(in, o, out.errors, warnings);
    if (!out.errors.empty()) return out;
    std::int64_t origin_ms = in.front().result.start_unix_ms;
    for (const auto& x : in) origin_ms = std::min(origin_ms, x.result.start_unix_ms);
    const auto at = place(in, origin_ms, o, out.errors, warnings);
    out.windows = pick_windows(in, at, faults, origin_ms, o, out.errors, warnings);
    if (!out.errors.empty()) return out;

    std::vector<Scope> totals, warmups;
    for (std::size_t k = 0; k < in.size(); ++k) {
        totals.push_back({&in[k].result, at[k]});
        if (in[k].result.warmup) warmups.push_back({in[k].result.warmup.get(), at[k]});
    }
    const RunInfo info = merged_info(in);
    RunResult& r = out.result;
    r = merge_scope(totals, info.interval);
    r.info = info;
    r.start_unix_ms = origin_ms;
    r.scenario_sha256 = in.front().result.scenario_sha256;
    for (const auto& x : in)
        if (x.result.scenario_sha256 != r.scenario_sha256) r.scenario_sha256.clear();  // forced: no single scenario
    merge_steps(r, in, at);
    if (!warmups.empty()) {
        auto warm = std::make_shared<RunResult>(merge_scope(warmups, info.interval));
        warm->info = info;
        warm->intervals.clear();
        r.warmup = std::move(warm);
    }
    r.slo = in.front().result.slo;
    merge_run_flags(r, in);
    r.warnings.insert(r.warnings.begin(), warnings.begin(), warnings.end());
    return out;
}

}  // namespace faultline
