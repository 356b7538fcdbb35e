#include "scenarios/summary.hpp"

#include <fmt/format.h>

#include "common/units.hpp"

namespace faultline {
namespace {

std::string plural(std::size_t n, std::string_view word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string describe_flows(const Scenario& s) {
    std::size_t requests = 0, pauses = 0;
    for (const auto& flow : s.flows)
        for (const auto& step : flow.steps) (std::holds_alternative<HttpStep>(step) ? requests : pauses)++;
    std::string text = fmt::format("{}, {} ({}, {})", plural(s.flows.size(), "flow"), plural(requests + pauses, "step"),
                                   plural(requests, "request"), plural(pauses, "pause"));
    if (s.flows.size() > 1) {
        std::vector<std::string> names;
        for (const auto& f : s.flows) names.push_back(fmt::format("{} x{}", f.name, f.weight));
        text += fmt::format(" [{}]", fmt::join(names, ", "));
    }
    for (const auto& feed : s.data) text += fmt::format(", data {} ({})", feed.name, plural(feed.rows.size(), "row"));
    return text;
}

std::string describe_load(const LoadProfile& p) {
    Duration total{0};
    for (const auto& st : p.stages) total += st.duration;
    const bool open = p.model == LoadModel::open;
    std::vector<std::string> targets;
    if (open && p.start_rate_per_s >= 0) targets.push_back(fmt::format("{:g}/s", p.start_rate_per_s));
    if (!open && p.start_vus >= 0) targets.push_back(fmt::format("{} VUs", p.start_vus));
    for (const auto& st : p.stages)
        targets.push_back(open ? fmt::format("{:g}/s", st.rate_per_s) : fmt::format("{} VUs", st.vus));
    std::string text = fmt::format("{} model, {}", open ? "open" : "closed", plural(p.stages.size(), "stage"));
    if (total > Duration::zero()) text += " over " + format_duration(total);
    text += ", " + fmt::format("{}", fmt::join(targets, " -> "));
    if (p.iterations) text += fmt::format(", {} iterations", *p.iterations);
    if (p.warmup > Duration::zero()) text += ", warmup " + format_duration(p.warmup);
    return text;
}

std::string describe_fault(const FaultDecl& f) {
    const std::string subject =
        f.kind == FaultDecl::Kind::service ? f.service : fmt::format("{}", fmt::join(f.proxies, "+"));
    std::string text = fmt::format("{} {} at {}", f.type_name(), subject, format_duration(f.at));
    if (f.duration > Duration::zero()) text += " for " + format_duration(f.duration);
    return text;
}

// E.g. " Chaos: proxies db (127.0.0.1:0 -> 127.0.0.1:5432); services api; faults latency db
// at 1m for 20s, pause api at 2m50s for 5s."
std::string describe_chaos(const ChaosSpec& c) {
    if (c.empty() && !c.toxiproxy_url) return {};
    std::vector<std::string> parts;
    std::vector<std::string> items;
    for (const auto& p : c.proxies) items.push_back(fmt::format("{} ({} -> {})", p.name, p.listen, p.upstream));
    if (!items.empty()) parts.push_back(fmt::format("proxies {}", fmt::join(items, ", ")));
    if (c.toxiproxy_url) parts.push_back("on Toxiproxy " + *c.toxiproxy_url);
    items.clear();
    for (const auto& svc : c.services) items.push_back(svc.name);
    if (!items.empty()) parts.push_back(fmt::format("services {}", fmt::join(items, ", ")));
    items.clear();
    for (const auto& f : c.faults) items.push_back(describe_fault(f));
    if (!items.empty()) parts.push_back(fmt::format("faults {}", fmt::join(items, ", ")));
    return fmt::format(" Chaos: {}.", fmt::join(parts, "; "));
}

std::string percent(double fraction) { return fmt::format("{:g}%", fraction * 100); }

std::string describe_slo(const SloSpec& slo, const std::optional<AbortSpec>& abort) {
    std::vector<std::string> items;
    for (const auto& l : slo.latency) items.push_back(fmt::format("{} <= {}", l.key, format_duration(l.limit)));
    if (slo.error_rate) items.push_back("error rate <= " + percent(*slo.error_rate));
    if (slo.availability) items.push_back("availability >= " + percent(*slo.availability));
    if (slo.recovery_time)
        items.push_back(fmt::format("recovery <= {} ({} healthy intervals)", format_duration(*slo.recovery_time),
                                    slo.recovery_intervals));
    if (slo.errors) items.push_back(fmt::format("errors <= {}", *slo.errors));
    if (slo.throughput_per_s) items.push_back(fmt::format("throughput >= {:g}/s", *slo.throughput_per_s));
    for (const auto& st : slo.steps) items.push_back(fmt::format("limits for step '{}'", st.step));
    std::string text = items.empty() ? std::string() : fmt::format(" SLO: {}.", fmt::join(items, ", "));
    if (abort)
        text += fmt::format(" Abort when {} for {}.", fmt::join(abort->when, " or "),
                            format_duration(abort->for_duration));
    return text;
}

}  // namespace

std::string describe(const Scenario& s) {
    const std::string target = s.target.parts().empty() ? "(full URLs)"
                               : s.target.is_literal()   ? s.target.literal_text()
                                                         : "(templated)";
    const auto connections = plural(static_cast<std::size_t>(s.http.connections), "connection");
    return fmt::format("{} ({}): {}; {}; target {} ({}, timeout {}).{}{}", s.name, s.file, describe_flows(s),
                       describe_load(s.load), target, connections, format_duration(s.http.timeout),
                       describe_chaos(s.chaos), describe_slo(s.slo, s.abort));
}

}  // namespace faultline
