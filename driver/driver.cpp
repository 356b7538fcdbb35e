#include "driver/driver.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>
#include <thread>

#include "driver/worker.hpp"

namespace faultline {
namespace net = boost::asio;

namespace {

// Workers start together a little after setup, so their first intended sends line up.
constexpr Duration kStartLead = std::chrono::milliseconds(20);
constexpr Duration kInterruptGrace = std::chrono::seconds(1);
// How often the control thread looks for closed intervals, and the on_tick period.
constexpr Duration kHookPoll = std::chrono::milliseconds(100);
constexpr Duration kHookTick = std::chrono::seconds(1);

// RunControl for the hooks: stops every worker with the interrupt grace.
class WorkerStopper final : public RunControl {
public:
    explicit WorkerStopper(std::vector<std::unique_ptr<Worker>>& workers) : workers_(workers) {}
    void stop() override {
        if (stopped_) return;
        stopped_ = true;
        for (auto& w : workers_) w->stop(kInterruptGrace);
    }

private:
    std::vector<std::unique_ptr<Worker>>& workers_;
    bool stopped_ = false;
};

// Splits total into n parts that differ by at most one.
std::uint64_t share(std::uint64_t total, unsigned n, unsigned i) { return total / n + (i < total % n ? 1 : 0); }

int max_vus(const LoadProfile& load) {
    int m = std::max(0, load.start_vus);
    for (const auto& s : load.stages) m = std::max(m, s.vus);
    return m;
}

RunInfo run_info(const Scenario& s, const RunSettings& settings) {
    RunInfo info;
    info.scenario = s.name;
    info.url = s.target.is_literal() ? s.target.literal_text() : std::string("(templated)");
    if (s.flows.size() == 1 && s.flows[0].steps.size() == 1)
        if (const auto* step = std::get_if<HttpStep>(&s.flows[0].steps[0])) {
            info.method = step->method;
            if (step->full_url && step->url.is_literal()) info.url = step->url.literal_text();
        }
    info.open_model = s.load.model == LoadModel::open;
    const bool constant = s.load.stages.size() == 1 && s.load.start_rate_per_s < 0 && s.load.start_vus < 0;
    if (constant) info.asked_rate_per_s = s.load.stages[0].rate_per_s;
    info.vus = max_vus(s.load);
    info.connections = info.open_model ? s.http.connections : info.vus;
    info.threads = settings.threads;
    info.interval = settings.interval;
    Duration total{0};
    for (const auto& st : s.load.stages) total += st.duration;
    if (total > Duration::zero()) info.asked_duration = total;
    info.asked_requests = s.load.iterations;
    return info;
}

StepResult step_result(const PlannedStep& p, std::vector<Worker*>& workers, const MergeInputs& in) {
    StepResult out;
    out.name = p.step->name;
    std::vector<RunRecorder*> recorders;
    for (auto* w : workers) {
        auto& s = *w->steps()[static_cast<std::size_t>(p.index)];
        recorders.push_back(&s.recorder);
        out.checks_status += s.check_failures[0];
        out.checks_body_contains += s.check_failures[1];
        out.checks_json += s.check_failures[2];
        out.checks_latency += s.check_failures[3];
    }
    out.stats = merge_recorders(recorders, in);
    return out;
}

}  // namespace

std::vector<WorkerPlan> plan_workers(const Scenario& s, int threads) {
    const unsigned n = static_cast<unsigned>(std::max(1, threads));
    std::vector<WorkerPlan> plans(n);
    const bool open = s.load.model == LoadModel::open;
    const int vus = max_vus(s.load);
    for (unsigned i = 0; i < n; ++i) {
        auto& p = plans[i];
        p.index = i;
        p.count = n;
        // Closed model: this worker's VUs are i, i+n, ... below the peak; each needs at most
        // one connection per origin at a time.
        p.connections = open ? static_cast<int>(share(static_cast<std::uint64_t>(s.http.connections), n, i))
                             : static_cast<int>(share(static_cast<std::uint64_t>(vus), n, i));
        p.max_pending = static_cast<std::size_t>(share(s.http.max_pending, n, i));
        if (!open && s.load.iterations) p.iterations = share(*s.load.iterations, n, i);
    }
    return plans;
}

Scenario scenario_from_spec(const RunSpec& spec) {
    Scenario s;
    s.name = "adhoc";
    s.target = Template::literal(spec.request.url.text);
    s.http = spec.http;
    s.connect_timeout = spec.http.timeout;
    HttpStep step;
    step.name = spec.request.method + " " + spec.request.url.target;
    step.method = spec.request.method;
    step.full_url = true;
    step.url = Template::literal(spec.request.url.text);
    for (const auto& [n, v] : spec.request.headers) step.headers.emplace_back(n, Template::literal(v));
    if (!spec.request.body.empty()) step.body = Template::literal(spec.request.body);
    s.flows.push_back(Flow{s.name, 1.0, {std::move(step)}});
    s.load.model = spec.load.model;
    // Without --duration the stage has none: it runs until the request budget is spent.
    const Duration duration = spec.load.duration.value_or(Duration::zero());
    s.load.stages.push_back(Stage{duration, spec.load.rate_per_s, spec.load.vus});
    s.load.iterations = spec.load.requests;
    return s;
}

RunResult run_load(const RunSpec& spec) {
    const Scenario s = scenario_from_spec(spec);
    RunSettings settings;
    settings.threads = spec.threads;
    settings.interval = spec.interval;
    return run_scenario(s, settings);
}

RunResult run_scenario(const Scenario& scenario, const RunSettings& settings) {
    const RunPlan plan = make_run_plan(scenario, settings.threads, settings.interval);

    const Clock_tp setup_done = SteadyClock::instance().now();
    const Clock_tp start = setup_done + kStartLead;
    const Clock_tp origin = start + scenario.load.warmup;
    const auto lead_ms = std::chrono::duration_cast<std::chrono::milliseconds>(kStartLead + scenario.load.warmup).count();
    const std::int64_t start_unix_ms = unix_time_ms() + lead_ms;
    const Duration cpu_at_start = process_cpu_time();

    std::vector<std::unique_ptr<Worker>> workers;
    for (const auto& wp : plan_workers(scenario, settings.threads))
        workers.push_back(std::make_unique<Worker>(wp, plan, start, origin));

    // The calling thread waits for signals and feeds the live hooks while the workers run.
    net::io_context control;
    net::signal_set signals(control, SIGINT, SIGTERM);
    bool interrupted = false;
    std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec, int) {
        if (ec) return;
        // A second signal cuts the grace period short.
        const Duration grace = interrupted ? Duration::zero() : kInterruptGrace;
        interrupted = true;
        for (auto& w : workers) w->stop(grace);
        signals.async_wait(on_signal);
    };
    signals.async_wait(on_signal);

    const RunHooks& hooks = settings.hooks;
    LiveIntervals live(workers.size(), settings.interval);
    if (hooks.on_interval)
        for (auto& w : workers) w->set_live(&live);
    WorkerStopper stopper(workers);
    net::steady_timer hook_timer(control);
    Clock_tp next_tick = start;
    std::function<void(boost::system::error_code)> on_hook_timer = [&](boost::system::error_code ec) {
        if (ec) return;
        if (hooks.on_interval)
            for (const auto& ir : live.take_complete()) hooks.on_interval(ir, stopper);
        const Clock_tp now = SteadyClock::instance().now();
        if (hooks.on_tick && now >= next_tick) {
            hooks.on_tick(now - origin, stopper);
            next_tick = now + kHookTick;
        }
        hook_timer.expires_after(kHookPoll);
        hook_timer.async_wait(on_hook_timer);
    };
    if (hooks.on_interval || hooks.on_tick) {
        hook_timer.expires_at(start);
        hook_timer.async_wait(on_hook_timer);
    }
    if (hooks.on_start) hooks.on_start(origin);

    std::size_t running = workers.size();
    std::vector<std::exception_ptr> failures(workers.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < workers.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                workers[i]->run([&] {
                    net::post(control, [&] {
                        if (--running == 0) {
                            signals.cancel();
                            hook_timer.cancel();
                        }
                    });
                });
            } catch (...) {
                failures[i] = std::current_exception();
            }
        });
    }
    control.run();
    for (auto& t : threads) t.join();
    for (auto& f : failures)
        if (f) std::rethrow_exception(f);

    MergeInputs in;
    in.info = run_info(scenario, settings);
    in.origin = origin;
    in.start_unix_ms = start_unix_ms;
    in.cpu_time = process_cpu_time() - cpu_at_start;
    in.wall_time = SteadyClock::instance().now() - setup_done;
    in.interrupted = interrupted;
    std::vector<Worker*> raw;
    std::vector<RunRecorder*> totals, warmups;
    for (auto& w : workers) {
        raw.push_back(w.get());
        totals.push_back(&w->recorder());
        warmups.push_back(&w->warmup_recorder());
    }
    RunResult result = merge_recorders(totals, in);
    for (const auto& p : plan.steps) result.steps.push_back(step_result(p, raw, in));
    if (scenario.load.warmup.count() > 0) {
        MergeInputs win = in;
        win.origin = start;
        auto warm = std::make_shared<RunResult>(merge_recorders(warmups, win));
        warm->intervals.clear();
        result.warmup = std::move(warm);
    }
    add_generator_warnings(result);
    return result;
}

}  // namespace faultline
