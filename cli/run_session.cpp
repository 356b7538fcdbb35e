#include "cli/run_session.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <random>
#include <variant>

#include "chaos/chaos_session.hpp"
#include "cli/exit_codes.hpp"
#include "cli/progress_line.hpp"
#include "cli/report_outputs.hpp"
#include "cli/signal_watch.hpp"
#include "reports/abort_monitor.hpp"
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

}  // namespace

int worst_exit_code(std::initializer_list<int> codes) {
    int worst = exit_code::ok;
    for (int c : codes)
        if (rank(c) > rank(worst)) worst = c;
    return worst;
}

int execute_run(const RunOptions& options, const Scenario& input, const RunSettings& base_settings,
                const ScenarioReloader& reload) {
    SignalWatch watch;
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
    ProgressLine progress(std::cerr, progress_mode(options.quiet), total_duration(*scenario));
    std::optional<AbortMonitor> abort_monitor;
    if (scenario->abort) abort_monitor.emplace(scenario->slo, *scenario->abort, settings.interval);
    std::string abort_reason;
    const auto active_fault = [&] { return session ? session->active_faults() : std::string(); };
    if (session) settings.hooks.on_start = [&](Clock_tp origin) { session->start_faults(origin); };
    settings.hooks.on_interval = [&](const IntervalResult& ir, RunControl& control) {
        progress.on_interval(ir, settings.interval);
        if (!abort_monitor || !abort_reason.empty()) return;
        if (auto reason = abort_monitor->on_interval(ir)) {
            abort_reason = *reason;
            std::cerr << "\nfaultline: aborting: " << abort_reason << '\n';
            control.stop();
            if (session) session->remove_faults();
        }
    };
    settings.hooks.on_tick = [&](Duration since_origin, RunControl&) { progress.on_tick(since_origin, active_fault()); };

    RunResult result;
    try {
        result = run_scenario(*scenario, settings);
    } catch (const SetupError& e) {
        progress.finish();
        if (session) session->shutdown();
        std::cerr << "faultline run: " << e.what() << '\n';
        return watch.signalled() ? exit_code::interrupted : exit_code::setup_failed;
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
    apply_verdicts(result, windows);

    std::cout << format_summary(result) << std::flush;
    const auto problems = write_reports(
        ReportPaths{options.json_path, options.html_path, options.junit_path, options.hdr_log_path}, result);
    for (const auto& p : problems) std::cerr << "faultline run: " << p << '\n';
    if (!result.no_response_reason.empty()) std::cerr << "faultline run: " << result.no_response_reason << '\n';
    return worst_exit_code({
        result.interrupted ? exit_code::interrupted : exit_code::ok,
        problems.empty() ? exit_code::ok : exit_code::setup_failed,
        result.no_response_reason.empty() ? exit_code::ok : exit_code::setup_failed,
        passed(result) ? exit_code::ok : exit_code::threshold_failed,
    });
}

}  // namespace faultline
