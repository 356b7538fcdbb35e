#include "chaos/fault_runner.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>
#include <signal.h>

#include "chaos/ready_probe.hpp"
#include "chaos/setup_failure.hpp"

namespace faultline::chaos {

namespace {

double seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

FaultRunner::FaultRunner(std::vector<FaultDecl> faults, ServiceLookup services, const Clock& clock)
    : faults_(std::move(faults)),
      events_(fault_timeline(faults_)),
      services_(std::move(services)),
      clock_(clock),
      states_(faults_.size()) {}

void FaultRunner::start(net::io_context& io, Clock_tp origin) {
    origin_ = origin;
    net::co_spawn(io, run(origin), [this](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& error) {
            const std::lock_guard lock(mutex_);
            warnings_.push_back(std::string("fault timeline stopped: ") + error.what());
        }
    });
}

net::awaitable<void> FaultRunner::run(Clock_tp origin) {
    net::steady_timer timer(co_await net::this_coro::executor);
    timer_ = &timer;
    for (const auto& event : events_) {
        if (stop_) break;
        timer.expires_at(origin + event.offset);
        co_await timer.async_wait(net::as_tuple(net::use_awaitable));
        if (stop_) break;
        if (event.action == FaultEvent::Action::apply)
            apply(event.fault);
        else
            revert(event.fault, false);
    }
    timer_ = nullptr;
}

void FaultRunner::revert_all() {
    stop_ = true;
    if (timer_) timer_->cancel();
    for (std::size_t i = 0; i < faults_.size(); ++i) revert(i, true);
}

void FaultRunner::apply(std::size_t index) {
    {
        const std::lock_guard lock(mutex_);
        if (states_[index].applied) return;
    }
    std::vector<ProxyChange> done;
    const bool ok = faults_[index].kind == FaultDecl::Kind::service ? apply_service_fault(index)
                                                                    : apply_proxy_fault(index, done);
    const double now = since_origin();
    const std::lock_guard lock(mutex_);
    auto& state = states_[index];
    if (!ok) return;  // never started: its window keeps applied_start_s unset
    state.applied = true;
    state.changes = std::move(done);
    if (!state.start_s) state.start_s = now;
}

void FaultRunner::revert(std::size_t index, bool final) {
    std::vector<ProxyChange> changes;
    {
        const std::lock_guard lock(mutex_);
        auto& state = states_[index];
        if (!state.applied || state.reverted) return;
        state.reverted = true;  // at most one revert, whoever gets here first
        changes = state.changes;
    }
    if (faults_[index].kind == FaultDecl::Kind::service)
        revert_service_fault(index, final);
    else
        revert_proxy_fault(index, changes);
    const double now = since_origin();
    const std::lock_guard lock(mutex_);
    if (!states_[index].end_s) states_[index].end_s = now;
}

bool FaultRunner::apply_proxy_fault(std::size_t index, std::vector<ProxyChange>& done) {
    if (!api_) {
        warn(index, "no proxy engine is running");
        return false;
    }
    for (auto& change : proxy_changes(faults_[index], index)) {
        try {
            const auto response = api_->call(change.apply);
            if (response.status >= 200 && response.status < 300) {
                done.push_back(std::move(change));
                continue;
            }
            warn(index, fmt::format("{} {}: HTTP {}: {}", change.apply.method, change.apply.path, response.status,
                                    api_error_text(response)));
        } catch (const TransportError& error) {
            warn(index, error.what());
        }
    }
    // A partly applied fault (one proxy of two) still counts: what did apply is undone later.
    return !done.empty();
}

void FaultRunner::revert_proxy_fault(std::size_t index, const std::vector<ProxyChange>& changes) {
    for (const auto& change : changes) {
        try {
            const auto response = api_->call(change.revert);
            if (!revert_done(change.revert, response.status))
                warn(index, fmt::format("removing: {} {}: HTTP {}: {}", change.revert.method, change.revert.path,
                                        response.status, api_error_text(response)));
        } catch (const TransportError& error) {
            warn(index, std::string("removing: ") + error.what());
        }
    }
}

bool FaultRunner::apply_service_fault(std::size_t index) {
    const auto& fault = faults_[index];
    auto* service = services_(fault.service);
    if (!service || !service->running()) {
        warn(index, fmt::format("service {} is not running", fault.service));
        return false;
    }
    switch (fault.action) {
    case ServiceAction::pause: return service->signal_group(SIGSTOP);
    case ServiceAction::kill: service->kill_now(); return true;
    case ServiceAction::restart: {
        // The fault starts with the SIGTERM; the graceful stop may take up to kStopGrace,
        // during which the timeline waits (documented in docs/chaos.md).
        service->begin_stop();
        const std::lock_guard lock(mutex_);
        states_[index].start_s = since_origin();
    }
        service->finish_stop(clock_.now() + kStopGrace, clock_);
        return true;
    }
    return false;
}

void FaultRunner::revert_service_fault(std::size_t index, bool final) {
    const auto& fault = faults_[index];
    auto* service = services_(fault.service);
    if (!service) return;
    if (fault.action == ServiceAction::pause) {
        service->signal_group(SIGCONT);
        return;
    }
    if (final) return;  // the run is over: not started again only to be stopped
    try {
        service->spawn();
        {
            const std::lock_guard lock(mutex_);
            states_[index].end_s = since_origin();  // down time ends at the new start
        }
        wait_until_ready(*service, stop_, clock_);
    } catch (const SetupFailure& error) {
        if (!stop_) warn(index, std::string("starting it again: ") + error.what());  // not when the run ended meanwhile
    }
}

double FaultRunner::since_origin() const { return seconds(clock_.now() - origin_); }

void FaultRunner::warn(std::size_t index, const std::string& what) {
    const std::lock_guard lock(mutex_);
    const auto& fault = faults_[index];
    warnings_.push_back(fmt::format("fault {} ({} at {:g}s): {}", index + 1, fault_label(fault), seconds(fault.at), what));
}

std::string FaultRunner::active() const {
    const std::lock_guard lock(mutex_);
    std::string out;
    for (std::size_t i = 0; i < faults_.size(); ++i)
        if (states_[i].applied && !states_[i].reverted) out += (out.empty() ? "" : "; ") + fault_label(faults_[i]);
    return out;
}

std::vector<FaultWindow> FaultRunner::windows() const {
    const std::lock_guard lock(mutex_);
    std::vector<FaultWindow> out;
    for (std::size_t i = 0; i < faults_.size(); ++i) {
        const auto& f = faults_[i];
        FaultWindow w;
        if (f.kind == FaultDecl::Kind::service)
            w.service = f.service;
        else
            w.proxies = f.proxies;
        w.type = f.type_name();
        w.start_s = seconds(f.at);
        w.end_s = seconds(f.at + f.duration);
        if (states_[i].applied) {
            w.applied_start_s = states_[i].start_s;
            w.applied_end_s = states_[i].end_s;
        }
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<std::string> FaultRunner::warnings() const {
    const std::lock_guard lock(mutex_);
    return warnings_;
}

}  // namespace faultline::chaos
