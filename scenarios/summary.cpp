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

}  // namespace

std::string describe(const Scenario& s) {
    const std::string target = s.target.parts().empty() ? "(full URLs)"
                               : s.target.is_literal()   ? s.target.literal_text()
                                                         : "(templated)";
    const auto connections = plural(static_cast<std::size_t>(s.http.connections), "connection");
    return fmt::format("{} ({}): {}; {}; target {} ({}, timeout {}).", s.name, s.file, describe_flows(s),
                       describe_load(s.load), target, connections, format_duration(s.http.timeout));
}

}  // namespace faultline
