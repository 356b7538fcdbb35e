#include "driver/driver.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>
#include <thread>

#include "driver/shard_plan.hpp"
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

int max_vus(const LoadProfile& load) {
    int m = std::max(0, load.start_vus);
    for (const auto& s : load.stages) m = std::max(m, s.vus);
    return m;
}

RunInfo run_info(const Scenario& s, const RunSettings& settings) {
    RunInfo info;
    info.scenario = s.name;
    // As written: values from the environment (tokens in a query) stay {{env.NAME}}.
    info.url = s.target.display_text();
    if (s.flows.size() == 1 && s.flows[0].steps.size() == 1)
        if (const auto* step = std::get_if<HttpStep>(&s.flows[0].steps[0])) {
            info.method = step->method;
            if (step->full_url) info.url = step->url.display_text();
        }
    info.open_model = s.load.model == LoadModel::open;
    // A shard reports its own share of what was asked; `report merge` adds them up again.
    const ShardId shard = settings.shard;
    const bool constant = s.load.stages.size() == 1 && s.load.start_rate_per_s < 0 && s.load.start_vus < 0;
    if (constant) info.asked_rate_per_s = s.load.stages[0].rate_per_s / static_cast<double>(shard.count);
    info.vus = static_cast<int>(share(static_cast<std::uint64_t>(max_vus(s.load)), shard.count, shard.index));
    info.connections = info.open_model
                           ? static_cast<int>(share(static_cast<std::uint64_t>(s.http.connections), shard.count, shard.index))
                           : info.vus;
    info.threads = settings.threads;
    info.interval = settings.interval;
    Duration total{0};
    for (const auto& st : s.load.stages) total += st.duration;
    if (total > Duration::zero()) info.asked_duration = total;
    if (s.load.iterations) info.asked_requests = share(*s.load.iterations, shard.count, shard.index);
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

std::vector<WorkerPlan> plan_workers(const Scenario& s, int threads, ShardId shard) {
    const unsigned n = static_cast<unsigned>(std::max(1, threads));
    if (shard.count == 0) shard = ShardId{};
    std::vector<WorkerPlan> plans(n);
    const bool open = s.load.model == LoadModel::open;
    const auto vus = static_cast<std::uint64_t>(max_vus(s.load));
    // The shard's part first, then this shard's threads share it.
    const auto connections = share(static_cast<std::uint64_t>(s.http.connections), shard.count, shard.index);
    const auto pending = share(s.http.max_pending, shard.count, shard.index);
    for (unsigned i = 0; i < n; ++i) {
        auto& p = plans[i];
        const ArrivalSlice slice = arrival_slice(shard, i, n);
        p.index = slice.index;
        p.count = slice.count;
        p.shard = shard;
        // Closed model: this worker's VUs are index, index+count, ... below the peak; each
        // needs at most one connection per origin at a time.
        p.connections = open ? static_cast<int>(share(connections, n, i)) : static_cast<int>(share(vus, slice.count, slice.index));
        p.max_pending = static_cast<std::size_t>(share(pending, n, i));
        if (!open && s.load.iterations) p.iterations = share(share(*s.load.iterations, shard.count, shard.index), n, i);
    }
    return plans;
}

Clock_tp steady_from_unix_ms(std::int64_t unix_ms) {
    return SteadyClock::instance().now() + std::chrono::milliseconds(unix_ms - unix_time_ms());
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
    Clock_tp start = setup_done + kStartLead;
    Clock_tp origin = start + scenario.load.warmup;
    std::int64_t start_unix_ms = 0;
    if (settings.origin_unix_ms) {
        origin = steady_from_unix_ms(*settings.origin_unix_ms);
        start = origin - scenario.load.warmup;
        start_unix_ms = *settings.origin_unix_ms;
        if (start < setup_done - kMaxStartLateness)
            throw StartMissed(fmt::format("the requested start was {:.3f} s ago (at most {:.0f} s late is accepted)",
                                          std::chrono::duration<double>(setup_done - start).count(),
                                          std::chrono::duration<double>(kMaxStartLateness).count()));
    } else {
        const auto lead_ms = std::chrono::duration_cast<std::chrono::milliseconds>(kStartLead + scenario.load.warmup).count();
        start_unix_ms = unix_time_ms() + lead_ms;
    }
    const Duration cpu_at_start = process_cpu_time();

    std::vector<std::unique_ptr<Worker>> workers;
    for (const auto& wp : plan_workers(scenario, settings.threads, settings.shard))
        workers.push_back(std::make_unique<Worker>(wp, plan, start, origin));

    // The calling thread waits for signals and feeds the live hooks while the workers run.
    net::io_context control;
    net::signal_set signals(control, SIGINT, SIGTERM);
    bool interrupted = false;
    bool workers_done = false;
    std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec, int) {
        if (ec || workers_done) return;
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
    std::size_t running = workers.size();
    // A cancel cannot recall a wait that has already completed, so the handler itself must
    // not re-arm once the workers are done.
    std::function<void(boost::system::error_code)> on_hook_timer = [&](boost::system::error_code ec) {
        if (ec || running == 0) return;
        if (settings.interrupt_flag != nullptr && settings.interrupt_flag->load() && !interrupted) {
            interrupted = true;
            for (auto& w : workers) w->stop(kInterruptGrace);
        }
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
    if (hooks.on_interval || hooks.on_tick || settings.interrupt_flag != nullptr) {
        hook_timer.expires_at(start);
        hook_timer.async_wait(on_hook_timer);
    }
    if (hooks.on_start) hooks.on_start(origin);

    std::vector<std::exception_ptr> failures(workers.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < workers.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                workers[i]->run([&] {
                    net::post(control, [&] {
                        if (--running == 0) {
                            workers_done = true;
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
    // Waiting for a requested start is not generator work.
    in.wall_time = SteadyClock::instance().now() - std::max(setup_done, start);
    in.interrupted = interrupted;
    std::vector<Worker*> raw;
    std::vector<RunRecorder*> totals, warmups;
    for (auto& w : workers) {
        raw.push_back(w.get());
        totals.push_back(&w->recorder());
        warmups.push_back(&w->warmup_recorder());
    }
    RunResult result = merge_recorders(totals, in);
    result.shard = settings.shard;
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
