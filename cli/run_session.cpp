#include "cli/run_session.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <random>
#include <thread>
#include <variant>

#include "chaos/chaos_session.hpp"
#include "cli/exit_codes.hpp"
#include "cli/metrics_server.hpp"
#include "cli/progress_line.hpp"
#include "cli/report_outputs.hpp"
#include "cli/signal_watch.hpp"
#include "reports/abort_monitor.hpp"
#include "reports/prometheus_text.hpp"
#include "reports/text_summary.hpp"
#include "reports/thresholds.hpp"

namespace faultline {
namespace {

int rank(int code) {
    switch (code) {
    case exit_code::interrupted: return 4;
    case exit_code::bad_input: return 3;
    case exit_code::setup_failed: return 2;
    case exit_code::threshold_failed: return 1;
    default: return 0;
    }
}

// Services' logs go next to the first result file asked for, named after it.
std::pair<std::filesystem::path, std::string> log_location(const RunOptions& o) {
    for (const auto* p : {&o.json_path, &o.html_path, &o.junit_path, &o.hdr_log_path}) {
        if (p->empty()) continue;
        const std::filesystem::path path(*p);
        return {path.has_parent_path() ? path.parent_path() : std::filesystem::path("."),
                path.stem().string() + "."};
    }
    return {std::filesystem::path("."), "faultline."};
}

std::optional<Duration> total_duration(const Scenario& s) {
    Duration total{0};
    for (const auto& st : s.load.stages) total += st.duration;
    if (total <= Duration::zero()) return std::nullopt;
    return total;
}

// Proxies and services up, with the scenario reloaded against the real proxy addresses.
// Returns the scenario to run, or an exit code.
std::variant<Scenario, int> set_up(chaos::ChaosSession& session, const Scenario& scenario,
                                   const ScenarioReloader& reload, const SignalWatch& watch) {
    auto runtime = session.start_proxies();
    if (watch.signalled()) return exit_code::interrupted;
    std::optional<Scenario> reloaded;
    if (runtime.empty()) {
        reloaded = scenario;
    } else {
        reloaded = reload(runtime);
        if (!reloaded) return exit_code::bad_input;
    }
    if (!reloaded->chaos.services.empty()) {
        std::cerr << fmt::format("faultline: starting {} service(s)\n", reloaded->chaos.services.size());
        session.start_services(reloaded->chaos.services);
    }
    if (watch.signalled()) return exit_code::interrupted;
    return std::move(*reloaded);
}

RunInfo faults_only_info(const Scenario& s, const RunSettings& settings) {
    RunInfo info;
    info.scenario = s.name;
    info.url = s.target.is_literal() ? s.target.literal_text() : std::string("(templated)");
    info.open_model = s.load.model == LoadModel::open;
    info.connections = 0;
    info.threads = 0;
    info.interval = settings.interval;
    info.asked_duration = total_duration(s);
    return info;
}

std::string format_windows(const std::vector<FaultWindow>& windows) {
    const auto applied = [](const std::optional<double>& v) { return v ? fmt::format("{:.3f}", *v) : std::string("-"); };
    std::string out = fmt::format("faults only, no load: {} fault window(s), seconds from the start\n", windows.size());
    for (std::size_t i = 0; i < windows.size(); ++i) {
        const auto& w = windows[i];
        std::string target = w.service;
        for (const auto& p : w.proxies) target += (target.empty() ? "" : ",") + p;
        out += fmt::format("  {}: {} on {}  scheduled {:.3f}..{:.3f}  applied {}..{}\n", i, w.type, target, w.start_s,
                           w.end_s, applied(w.applied_start_s), applied(w.applied_end_s));
    }
    return out;
}

}  // namespace

int worst_exit_code(std::initializer_list<int> codes) {
    int worst = exit_code::ok;
    for (int c : codes)
        if (rank(c) > rank(worst)) worst = c;
    return worst;
}

int execute_run(const RunOptions& options, const Scenario& input, const RunSettings& base_settings,
                const ScenarioReloader& reload, const std::string& scenario_sha256, SignalWatch& watch) {
    // Bound before anything starts, so a taken port fails the run with nothing to undo.
    std::unique_ptr<MetricsServer> metrics_server;
    if (!options.metrics_listen.empty()) {
        try {
            metrics_server = std::make_unique<MetricsServer>(options.metrics_listen);
        } catch (const std::exception& e) {
            std::cerr << "faultline run: " << e.what() << '\n';
            return exit_code::setup_failed;
        }
    }
    const auto [log_dir, log_prefix] = log_location(options);
    std::unique_ptr<chaos::ChaosSession> session;
    const Scenario* scenario = &input;
    std::optional<Scenario> prepared;
    if (!input.chaos.empty()) {
        session = std::make_unique<chaos::ChaosSession>(input.chaos, log_dir, log_prefix, std::random_device{}());
        watch.on_signal([s = session.get()] { s->cancel_setup(); });
        try {
            auto outcome = set_up(*session, input, reload, watch);
            if (auto* code = std::get_if<int>(&outcome)) {
                session->shutdown();
                if (*code == exit_code::interrupted) std::cerr << "faultline run: interrupted during setup\n";
                return *code;
            }
            prepared = std::move(std::get<Scenario>(outcome));
            scenario = &*prepared;
        } catch (const chaos::SetupFailure& e) {
            session->shutdown();
            std::cerr << "faultline run: " << e.what() << '\n';
            return watch.signalled() ? exit_code::interrupted : exit_code::setup_failed;
        }
        watch.on_signal({});
    }

    RunSettings settings = base_settings;
    // A signal that came before the driver's own handler was installed still stops the load.
    settings.interrupt_flag = &watch.flag();
    ProgressLine progress(std::cerr, progress_mode(options.quiet), total_duration(*scenario));
    std::optional<AbortMonitor> abort_monitor;
    if (scenario->abort) abort_monitor.emplace(scenario->slo, *scenario->abort, settings.interval);
    std::string abort_reason;
    const auto active_fault = [&] { return session ? session->active_faults() : std::string(); };
    if (session) settings.hooks.on_start = [&](Clock_tp origin) { session->start_faults(origin); };
    LiveMetrics live;
    live.scenario = scenario->name;
    if (settings.shard.count > 1) live.shard = fmt::format("{}/{}", settings.shard.index, settings.shard.count);
    const auto publish_metrics = [&] {
        if (!metrics_server) return;
        live.active_fault = active_fault();
        metrics_server->update(prometheus_text(live));
    };
    publish_metrics();
    settings.hooks.on_interval = [&](const IntervalResult& ir, RunControl& control) {
        progress.on_interval(ir, settings.interval);
        if (metrics_server) {
            add_interval(live, ir, settings.interval);
            publish_metrics();
        }
        if (!abort_monitor || !abort_reason.empty()) return;
        if (auto reason = abort_monitor->on_interval(ir)) {
            abort_reason = *reason;
            std::cerr << "\nfaultline: aborting: " << abort_reason << '\n';
            control.stop();
            if (session) session->remove_faults();
        }
    };
    settings.hooks.on_tick = [&](Duration since_origin, RunControl&) {
        progress.on_tick(since_origin, active_fault());
        live.elapsed_s = std::chrono::duration<double>(since_origin).count();
        publish_metrics();
    };

    RunResult result;
    try {
        result = run_scenario(*scenario, settings);
    } catch (const SetupError& e) {
        progress.finish();
        if (session) session->shutdown();
        std::cerr << "faultline run: " << e.what() << '\n';
        return watch.signalled() ? exit_code::interrupted : exit_code::setup_failed;
    } catch (const StartMissed& e) {
        progress.finish();
        if (session) session->shutdown();
        std::cerr << "faultline run: --start-at: " << e.what() << "; nothing was sent\n";
        return watch.signalled() ? exit_code::interrupted : exit_code::bad_input;
    }
    progress.finish();
    std::vector<FaultWindow> windows;
    if (session) {
        session->remove_faults();
        windows = session->windows();
        result.service_logs = session->service_logs();
        for (const auto& w : session->warnings()) result.warnings.push_back(w);
        session->shutdown();
    }
    result.interrupted = result.interrupted || watch.signalled();
    result.aborted = !abort_reason.empty();
    result.abort_reason = abort_reason;
    result.slo = scenario->slo;
    result.scenario_sha256 = scenario_sha256;
    apply_verdicts(result, windows);
    // A shard's thresholds judge 1/N of the load (a throughput limit cannot pass): they are
    // reported, but the verdict, and the exit code for it, is `report merge`'s.
    const bool shard = settings.shard.count > 1;
    if (shard && !result.thresholds.empty())
        result.warnings.push_back(fmt::format("shard {}/{}: thresholds here judge this shard's share only and do not set the "
                                              "exit code; `faultline report merge` gives the run's verdict",
                                              settings.shard.index, settings.shard.count));

    std::cout << format_summary(result) << std::flush;
    const auto problems = write_reports(
        ReportPaths{options.json_path, options.html_path, options.junit_path, options.hdr_log_path}, result);
    for (const auto& p : problems) std::cerr << "faultline run: " << p << '\n';
    if (!result.no_response_reason.empty()) std::cerr << "faultline run: " << result.no_response_reason << '\n';
    return worst_exit_code({
        result.interrupted ? exit_code::interrupted : exit_code::ok,
        problems.empty() ? exit_code::ok : exit_code::setup_failed,
        result.no_response_reason.empty() ? exit_code::ok : exit_code::setup_failed,
        passed(result) || (shard && !result.aborted) ? exit_code::ok : exit_code::threshold_failed,
    });
}

}  // namespace faultline

namespace faultline {

int execute_faults_only(const RunOptions& options, const Scenario& input, const RunSettings& settings,
                        const ScenarioReloader& reload, const std::string& scenario_sha256, SignalWatch& watch) {
    const auto [log_dir, log_prefix] = log_location(options);
    chaos::ChaosSession session(input.chaos, log_dir, log_prefix, std::random_device{}());
    watch.on_signal([s = &session] { s->cancel_setup(); });
    std::optional<Scenario> scenario;
    try {
        auto outcome = set_up(session, input, reload, watch);
        if (auto* code = std::get_if<int>(&outcome)) {
            session.shutdown();
            if (*code == exit_code::interrupted) std::cerr << "faultline run: interrupted during setup\n";
            return *code;
        }
        scenario = std::move(std::get<Scenario>(outcome));
    } catch (const chaos::SetupFailure& e) {
        session.shutdown();
        std::cerr << "faultline run: " << e.what() << '\n';
        return watch.signalled() ? exit_code::interrupted : exit_code::setup_failed;
    }
    watch.on_signal({});

    // The same lateness rule as the shards', which start their warm-up this much earlier.
    const Clock_tp origin = steady_from_unix_ms(*settings.origin_unix_ms);
    const SteadyClock& clock = SteadyClock::instance();
    if (origin - scenario->load.warmup < clock.now() - kMaxStartLateness) {
        session.shutdown();
        std::cerr << "faultline run: --start-at: the requested start has passed; no fault was applied\n";
        return exit_code::bad_input;
    }
    session.start_faults(origin);
    // Services and proxies stay up as long as the shards send: the stages, then their drain.
    const Clock_tp end = origin + total_duration(*scenario).value_or(Duration::zero()) + scenario->http.timeout;
    ProgressLine progress(std::cerr, progress_mode(options.quiet), total_duration(*scenario));
    Clock_tp next_tick = clock.now();
    while (!watch.signalled() && clock.now() < end) {
        if (clock.now() >= next_tick) {
            progress.on_tick(clock.now() - origin, session.active_faults());
            next_tick = clock.now() + std::chrono::seconds(1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    progress.finish();
    session.remove_faults();

    RunResult result;
    result.info = faults_only_info(*scenario, settings);
    result.start_unix_ms = *settings.origin_unix_ms;
    result.scenario_sha256 = scenario_sha256;
    result.duration_s = std::max(0.0, std::chrono::duration<double>(clock.now() - origin).count());
    result.slo = scenario->slo;
    for (const auto& w : session.windows()) result.faults.push_back(FaultImpact{w, {}, {}, false, 0, 0});
    result.service_logs = session.service_logs();
    result.warnings = session.warnings();
    result.warnings.push_back("faults only: no load was sent here; `faultline report merge --faults` analyses these "
                              "windows against the shards' merged load");
    result.interrupted = watch.signalled();
    session.shutdown();

    std::vector<FaultWindow> windows;
    for (const auto& f : result.faults) windows.push_back(f.window);
    std::cout << format_windows(windows) << std::flush;
    const auto problems = write_reports(
        ReportPaths{options.json_path, options.html_path, options.junit_path, options.hdr_log_path}, result);
    for (const auto& p : problems) std::cerr << "faultline run: " << p << '\n';
    return worst_exit_code({
        result.interrupted ? exit_code::interrupted : exit_code::ok,
        problems.empty() ? exit_code::ok : exit_code::setup_failed,
    });
}

}  // namespace faultline
