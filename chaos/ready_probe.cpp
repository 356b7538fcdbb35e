#include "chaos/ready_probe.hpp"

#include <fmt/format.h>

#include <thread>

#include "chaos/http_client.hpp"
#include "chaos/setup_failure.hpp"

namespace faultline::chaos {

namespace {

constexpr std::chrono::milliseconds kAttemptTimeout{1000};

std::string seconds(Duration d) { return fmt::format("{:g}s", std::chrono::duration<double>(d).count()); }

std::string with_log(std::string message, const ServiceProcess& service) {
    const auto tail = service.log_tail();
    if (tail.empty()) return message + fmt::format(" (log {} is empty)", service.log_path().string());
    return message + fmt::format("\nlast lines of {}:\n{}", service.log_path().string(), tail);
}

}  // namespace

std::string probe_once(const ReadyProbe& probe, Duration timeout) {
    switch (probe.kind) {
    case ReadyProbe::Kind::none: return "";
    case ReadyProbe::Kind::http: {
        std::string error;
        auto url = parse_http_url(probe.target, error);
        if (!url) return error;
        auto outcome = http_request(*url, "GET", url->target, "", timeout);
        if (!outcome.error.empty()) return outcome.error;
        if (outcome.status >= 200 && outcome.status < 400) return "";
        return fmt::format("HTTP {}", outcome.status);
    }
    case ReadyProbe::Kind::tcp: {
        std::string host, port;
        if (!split_host_port(probe.target, host, port)) return fmt::format("'{}' is not host:port", probe.target);
        return tcp_connect_check(host, port, timeout);
    }
    }
    return "unknown probe";
}

void wait_until_ready(ServiceProcess& service, const std::atomic<bool>& cancel, const Clock& clock) {
    const auto& probe = service.decl().ready;
    const auto deadline = clock.now() + probe.timeout;
    const auto name = service.name();
    std::string last_error = "not probed";
    for (;;) {
        if (cancel) throw SetupFailure(fmt::format("service {}: cancelled while waiting for it to be ready", name));
        if (!service.running())
            throw SetupFailure(with_log(fmt::format("service {}: exited ({}) before it was ready", name, service.exit_text()), service));
        if (probe.kind == ReadyProbe::Kind::none) return;
        const auto remaining = deadline - clock.now();
        last_error = probe_once(probe, std::clamp<Duration>(remaining, kProbeInterval, kAttemptTimeout));
        if (last_error.empty()) return;
        if (clock.now() >= deadline) break;
        // Sleeps in short steps so a cancel (Ctrl-C during setup) is seen promptly.
        const auto next = std::min<Clock_tp>(clock.now() + kProbeInterval, deadline);
        while (clock.now() < next && !cancel) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (!service.running())
        throw SetupFailure(with_log(fmt::format("service {}: exited ({}) before it was ready", name, service.exit_text()), service));
    throw SetupFailure(with_log(fmt::format("service {}: not ready after {}: {}: {}", name, seconds(probe.timeout),
                                            probe.target, last_error),
                                service));
}

}  // namespace faultline::chaos
