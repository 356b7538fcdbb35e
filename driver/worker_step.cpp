// Worker: one HTTP step of an iteration — render, get a connection, exchange, check, record.
#include "driver/step_checks.hpp"
#include "driver/worker_iteration.hpp"

namespace faultline {
namespace net = boost::asio;

namespace {

void record(RunRecorder& total, RunRecorder& step, const RequestSample& s, std::string_view error) {
    if (!error.empty()) {
        const std::string message(error);
        total.note_error(s.outcome, message);
        step.note_error(s.outcome, message);
    }
    total.on_completed(s);
    step.on_completed(s);
}

}  // namespace

net::awaitable<bool> Worker::run_step(Iteration& it, const PlannedStep& planned, Clock_tp& intended) {
    const HttpStep& step = *planned.step;
    StepStats& stats = *steps_[static_cast<std::size_t>(planned.index)];
    const RenderContext ctx{it.slots, it.rows, it.number, it.vu, &rng_};
    HostPool* pool = planned.host >= 0 ? &pool_for(planned.host) : nullptr;
    std::string_view bytes = planned.static_bytes;
    if (!planned.is_static) {
        TargetUrl dynamic;
        const TargetUrl* url = &planned.url;
        if (!pool) {
            render_step_url(scenario_, step, ctx, it.url);
            auto parsed = parse_target_url(it.url);
            std::string error = parsed ? std::string() : parsed.error;
            if (parsed) {
                dynamic = std::move(*parsed.value);
                url = &dynamic;
                pool = pool_for_url(dynamic, error);
            }
            if (!pool) {
                it.total->on_issued(intended);
                stats.recorder.on_issued(intended);
                const Clock_tp now = shared_.clock.now();
                record(*it.total, stats.recorder, RequestSample{intended, now, now, 0, Outcome::dns}, error);
                co_return false;
            }
        }
        it.header_values.resize(step.headers.size());
        it.headers.clear();
        for (std::size_t i = 0; i < step.headers.size(); ++i) {
            it.header_values[i].clear();
            step.headers[i].second.render(it.header_values[i], ctx);
            it.headers.emplace_back(step.headers[i].first, it.header_values[i]);
        }
        it.body.clear();
        if (step.body) step.body->render(it.body, ctx);
        it.request.clear();
        append_request(it.request, step.method, *url, it.headers, it.body, scenario_.keep_alive);
        bytes = it.request;
    }
    if (!pool->can_admit()) {
        it.total->on_dropped(intended);
        stats.recorder.on_dropped(intended);
        co_return false;
    }
    it.total->on_issued(intended);
    stats.recorder.on_issued(intended);
    HttpConnection* connection = co_await pool->acquire();
    if (!connection) {  // the run ended while this request waited for a connection
        const Clock_tp now = shared_.clock.now();
        record(*it.total, stats.recorder, RequestSample{intended, now, now, 0, Outcome::timeout},
               "still waiting for a connection when the run ended");
        co_return false;
    }
    const ExchangeResult r = co_await connection->execute(bytes, planned.head_request, planned.capture ? &it.capture : nullptr);
    pool->release(connection);
    Outcome outcome = r.outcome;
    if (r.status > 0) {
        const StepResponse response{r.status, planned.capture ? std::string_view(it.capture.head) : std::string_view(),
                                    planned.capture ? std::string_view(it.capture.body) : std::string_view(),
                                    r.done - intended};
        const CheckVerdict verdict = evaluate_expectations(step.expect, response);
        outcome = verdict.outcome;
        for (std::size_t bit = 0; bit < stats.check_failures.size(); ++bit)
            if (verdict.failed & (1u << bit)) ++stats.check_failures[bit];
        for (const auto& e : step.extract)
            if (auto v = extract_value(e, response)) it.slots[static_cast<std::size_t>(e.slot)] = std::move(*v);
    }
    record(*it.total, stats.recorder, RequestSample{intended, r.sent, r.done, r.status, outcome}, r.error);
    intended = r.done;
    co_return outcome == Outcome::success;
}

}  // namespace faultline
