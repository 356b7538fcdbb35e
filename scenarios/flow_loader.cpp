#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "scenarios/loader_parts.hpp"

namespace faultline {
namespace {

void collect_from_steps(const YAML::Node& steps, std::vector<std::string>& names) {
    if (!steps || !steps.IsSequence()) return;  // a missing key is a zombie node: test it first
    for (const auto& step : steps) {
        if (!step.IsMap()) continue;
        const auto extract = step["extract"];
        if (!extract || !extract.IsMap()) continue;
        for (const auto& kv : extract) {
            const std::string name = kv.first.Scalar();
            if (is_identifier(name) && std::find(names.begin(), names.end(), name) == names.end())
                names.push_back(name);
        }
    }
}

bool load_steps(YamlReader& rd, const YAML::Node& node, const std::string& where, const TemplateSymbols& symbols,
                Flow& flow) {
    if (!rd.expect_list(node, where)) return false;
    if (node.size() == 0) {
        rd.error(node, where + ": empty flow (add at least one step)");
        return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < node.size(); ++i) {
        Step step;
        if (load_step(rd, node[i], fmt::format("{}[{}]", where, i), symbols, step))
            flow.steps.push_back(std::move(step));
        else ok = false;
    }
    const bool has_request = std::any_of(flow.steps.begin(), flow.steps.end(),
                                         [](const Step& s) { return std::holds_alternative<HttpStep>(s); });
    if (ok && !has_request) {
        rd.error(node, where + ": the flow has no request step");
        ok = false;
    }
    return ok;
}

void load_weighted(YamlReader& rd, const YAML::Node& list, const TemplateSymbols& symbols, Scenario& s) {
    if (!rd.expect_list(list, "scenarios")) return;
    if (list.size() == 0) rd.error(list, "scenarios: empty list (add at least one flow)");
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto node = list[i];
        const std::string where = fmt::format("scenarios[{}]", i);
        if (!rd.expect_map(node, where)) continue;
        rd.check_keys(node, {"name", "weight", "flow"}, where);
        Flow flow;
        flow.name = fmt::format("flow{}", i + 1);
        if (const auto n = node["name"]) {
            if (auto v = rd.string(n, where + ".name")) flow.name = *v;
        }
        const bool duplicate =
            std::any_of(s.flows.begin(), s.flows.end(), [&](const Flow& f) { return f.name == flow.name; });
        if (duplicate)
            rd.error(node["name"] ? node["name"] : node, fmt::format("{}: duplicate flow name '{}'", where, flow.name));
        if (const auto n = node["weight"]) {
            auto v = rd.number(n, where + ".weight", 0);
            if (v && *v <= 0) rd.error(n, where + ".weight: must be greater than zero");
            else if (v) flow.weight = *v;
        }
        if (const auto steps = node["flow"]) load_steps(rd, steps, where + ".flow", symbols, flow);
        else rd.error(node, where + ": missing 'flow' (the list of steps)");
        s.flows.push_back(std::move(flow));
    }
}

// Step names key the per-step statistics, so two steps may not share one.
void check_step_names(YamlReader& rd, const Scenario& s) {
    std::map<std::string, const HttpStep*> seen;
    for (const auto& flow : s.flows) {
        for (const auto& step : flow.steps) {
            const auto* http = std::get_if<HttpStep>(&step);
            if (!http) continue;
            auto [it, inserted] = seen.emplace(http->name, http);
            if (inserted) continue;
            rd.diagnostics().push_back({http->pos.file, http->pos.line, http->pos.column,
                                        fmt::format("duplicate step name '{}' (first used at line {}); give the "
                                                    "step a unique 'name'",
                                                    http->name, it->second->pos.line)});
        }
    }
}

bool any_path_step(const Scenario& s) {
    for (const auto& flow : s.flows)
        for (const auto& step : flow.steps)
            if (const auto* http = std::get_if<HttpStep>(&step); http && !http->full_url) return true;
    return false;
}

}  // namespace

std::vector<std::string> collect_slot_names(const YAML::Node& root) {
    std::vector<std::string> names;
    collect_from_steps(root["flow"], names);
    if (const auto list = root["scenarios"]; list && list.IsSequence()) {
        for (const auto& item : list)
            if (item.IsMap()) collect_from_steps(item["flow"], names);
    }
    return names;
}

void load_flows(YamlReader& rd, const YAML::Node& root, const TemplateSymbols& symbols, Scenario& s) {
    const auto flow = root["flow"];
    const auto list = root["scenarios"];
    if (flow && list) {
        rd.error(list, "give either 'flow' or 'scenarios', not both");
        return;
    }
    if (!flow && !list) {
        rd.error(root, "no flow: add 'flow' (a list of steps) or 'scenarios' (weighted flows)");
        return;
    }
    if (flow) {
        Flow f;
        f.name = s.name;
        load_steps(rd, flow, "flow", symbols, f);
        s.flows.push_back(std::move(f));
    } else {
        load_weighted(rd, list, symbols, s);
    }
    check_step_names(rd, s);
    if (s.target.parts().empty() && !root["target"] && any_path_step(s))
        rd.error(root, "no target: add 'target: http://host:port' (or give every step a full 'url')");
}

}  // namespace faultline
