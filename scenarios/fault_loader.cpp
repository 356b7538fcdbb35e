#include <algorithm>
#include <array>
#include <fmt/format.h>

#include "common/units.hpp"
#include "scenarios/loader_parts.hpp"
#include "scenarios/suggest.hpp"

namespace faultline {
namespace {

// The keys that choose a fault's kind; exactly one may be given.
constexpr std::array<const char*, 4> kKindKeys{"toxic", "partition", "enabled", "service"};

std::vector<std::string> proxy_names(const ChaosSpec& chaos) {
    std::vector<std::string> names;
    for (const auto& p : chaos.proxies) names.push_back(p.name);
    return names;
}

void add_proxy(YamlReader& rd, const YAML::Node& n, const std::string& what, const ChaosSpec& chaos,
               FaultDecl& f) {
    auto name = rd.string(n, what);
    if (!name) return;
    const auto names = proxy_names(chaos);
    // With an external Toxiproxy the proxy may already exist there; without one, only a
    // declared proxy can be started.
    if (!chaos.toxiproxy_url && std::find(names.begin(), names.end(), *name) == names.end()) {
        auto hint = did_you_mean(*name, names);
        if (hint.empty() && !names.empty()) hint = fmt::format(" (declared: {})", fmt::join(names, ", "));
        if (names.empty())
            hint = " (declare it under 'proxies:', or set 'toxiproxy:' to use one that already exists there)";
        rd.error(n, fmt::format("{}: undefined proxy '{}'{}", what, *name, hint));
        return;
    }
    if (std::find(f.proxies.begin(), f.proxies.end(), *name) != f.proxies.end()) {
        rd.error(n, fmt::format("{}: proxy '{}' is named twice", what, *name));
        return;
    }
    f.proxies.push_back(std::move(*name));
}

void load_fault_proxies(YamlReader& rd, const YAML::Node& fault, const std::string& where, const ChaosSpec& chaos,
                        FaultDecl& f) {
    const auto n = fault["proxy"];
    if (!n) {
        rd.error(fault, where + ": missing 'proxy' (a proxy name or a list of them)");
        return;
    }
    if (!n.IsSequence()) return add_proxy(rd, n, where + ".proxy", chaos, f);
    if (n.size() == 0) rd.error(n, where + ".proxy: empty list (name at least one proxy)");
    for (std::size_t i = 0; i < n.size(); ++i) add_proxy(rd, n[i], fmt::format("{}.proxy[{}]", where, i), chaos, f);
}

void load_service_fault(YamlReader& rd, const YAML::Node& fault, const std::string& where, const ChaosSpec& chaos,
                        FaultDecl& f) {
    f.kind = FaultDecl::Kind::service;
    if (const auto p = fault["proxy"]) rd.error(p, where + ".proxy: not used by a service fault");
    const auto svc = fault["service"];
    if (auto name = rd.string(svc, where + ".service")) {
        std::vector<std::string> names;
        for (const auto& s : chaos.services) names.push_back(s.name);
        if (std::find(names.begin(), names.end(), *name) == names.end()) {
            auto hint = did_you_mean(*name, names);
            if (hint.empty()) hint = names.empty() ? " (declare it under 'services:')"
                                                   : fmt::format(" (declared: {})", fmt::join(names, ", "));
            rd.error(svc, fmt::format("{}.service: undefined service '{}'{}", where, *name, hint));
        }
        f.service = *name;
    }
    const auto action = fault["action"];
    if (!action) {
        rd.error(fault, where + ": missing 'action' (pause, kill or restart)");
        return;
    }
    auto v = rd.string(action, where + ".action");
    if (!v) return;
    if (*v == "pause") f.action = ServiceAction::pause;
    else if (*v == "kill") f.action = ServiceAction::kill;
    else if (*v == "restart") f.action = ServiceAction::restart;
    else {
        const std::vector<std::string> actions{"pause", "kill", "restart"};
        auto hint = did_you_mean(*v, actions);
        if (hint.empty()) hint = " (expected pause, kill or restart)";
        rd.error(action, fmt::format("{}.action: unknown action '{}'{}", where, *v, hint));
    }
}

// `partition: true` / `enabled: false`: the other value is not a fault, so it is an error
// rather than a silently empty window.
void check_flag(YamlReader& rd, const YAML::Node& n, const std::string& what, bool wanted) {
    auto v = rd.boolean(n, what);
    if (v && *v != wanted)
        rd.error(n, fmt::format("{}: only '{}' makes a fault{}", what, wanted ? "true" : "false",
                                wanted ? "" : " (the proxy is down for the fault's duration)"));
}

bool load_kind(YamlReader& rd, const YAML::Node& fault, const std::string& where, const ChaosSpec& chaos,
               FaultDecl& f) {
    std::vector<const char*> given;
    for (const char* key : kKindKeys)
        if (fault[key]) given.push_back(key);
    if (given.empty()) {
        if (const auto a = fault["action"]) rd.error(a, where + ".action: needs 'service' (the service to act on)");
        else
            rd.error(fault, where + ": give one of 'toxic', 'partition: true', 'enabled: false' or 'service' + "
                                    "'action'");
        return false;
    }
    if (given.size() > 1) {
        rd.error(fault[given[1]], fmt::format("{}: give only one of 'toxic', 'partition', 'enabled' or 'service' "
                                              "(found '{}' and '{}')",
                                              where, given[0], given[1]));
        return false;
    }
    const std::string_view key = given[0];
    if (key == "service") {
        load_service_fault(rd, fault, where, chaos, f);
        return true;
    }
    if (const auto a = fault["action"]) rd.error(a, where + ".action: only used with 'service'");
    load_fault_proxies(rd, fault, where, chaos, f);
    if (key == "toxic") {
        f.kind = FaultDecl::Kind::toxic;
        load_toxic(rd, fault["toxic"], where + ".toxic", f.toxic);
    } else if (key == "partition") {
        f.kind = FaultDecl::Kind::partition;
        check_flag(rd, fault["partition"], where + ".partition", true);
    } else {
        f.kind = FaultDecl::Kind::disabled;
        check_flag(rd, fault["enabled"], where + ".enabled", false);
    }
    return true;
}

// A restart may be instantaneous (duration 0, the default); every other fault needs a
// window that lasts.
void load_timing(YamlReader& rd, const YAML::Node& fault, const std::string& where, FaultDecl& f) {
    if (const auto n = fault["at"]) {
        if (auto v = rd.duration(n, where + ".at")) f.at = *v;
    } else {
        rd.error(fault, where + ": missing 'at' (when the fault starts, e.g. at: 60s)");
    }
    const bool restart = f.kind == FaultDecl::Kind::service && f.action == ServiceAction::restart;
    const auto n = fault["duration"];
    if (!n) {
        if (!restart) rd.error(fault, where + ": missing 'duration' (how long the fault lasts, e.g. duration: 20s)");
        return;
    }
    auto v = rd.duration(n, where + ".duration");
    if (v && !restart && *v <= Duration::zero()) rd.error(n, where + ".duration: must be greater than zero");
    else if (v) f.duration = *v;
}

struct Loaded {
    std::size_t index;  // in the file, for messages
    FaultDecl fault;
};

Duration end_of(const FaultDecl& f) { return f.at + std::max(f.duration, Duration{1}); }

// The first proxy both faults name, or nothing.
std::optional<std::string> shared_proxy(const FaultDecl& a, const FaultDecl& b) {
    for (const auto& p : a.proxies)
        if (std::find(b.proxies.begin(), b.proxies.end(), p) != b.proxies.end()) return p;
    return std::nullopt;
}

// Overlaps that cannot be undone correctly: the first window to end would re-enable a
// proxy (or resume a service) the other still holds down, or two toxics would share a
// name. Unnamed toxics get distinct names from chaos/, so those may stack.
std::optional<std::string> conflict(const FaultDecl& a, const FaultDecl& b) {
    if (a.kind != b.kind || !(a.at < end_of(b) && b.at < end_of(a))) return std::nullopt;
    const auto proxy = shared_proxy(a, b);
    switch (a.kind) {
    case FaultDecl::Kind::disabled:
        if (proxy) return fmt::format("both disable proxy '{}'", *proxy);
        break;
    case FaultDecl::Kind::service:
        if (a.service == b.service) return fmt::format("both act on service '{}'", a.service);
        break;
    case FaultDecl::Kind::toxic:
        if (!a.toxic.name.empty() && a.toxic.name == b.toxic.name && proxy)
            return fmt::format("both add a toxic named '{}' to proxy '{}'", a.toxic.name, *proxy);
        break;
    case FaultDecl::Kind::partition: break;
    }
    return std::nullopt;
}

void check_overlaps(YamlReader& rd, const std::vector<Loaded>& faults) {
    for (std::size_t j = 0; j < faults.size(); ++j) {
        for (std::size_t i = 0; i < j; ++i) {
            const auto why = conflict(faults[i].fault, faults[j].fault);
            if (!why) continue;
            const auto& pos = faults[j].fault.pos;
            rd.diagnostics().push_back({pos.file, pos.line, pos.column,
                                        fmt::format("faults[{}]: overlaps faults[{}] from {}: {}; move one of them",
                                                    faults[j].index, faults[i].index,
                                                    format_duration(std::max(faults[i].fault.at, faults[j].fault.at)),
                                                    *why)});
            break;
        }
    }
}

}  // namespace

void load_faults(YamlReader& rd, const YAML::Node& node, ChaosSpec& chaos) {
    if (!rd.expect_list(node, "faults")) return;
    std::vector<Loaded> loaded;
    for (std::size_t i = 0; i < node.size(); ++i) {
        const auto fault = node[i];
        const std::string where = fmt::format("faults[{}]", i);
        if (!rd.expect_map(fault, where)) continue;
        rd.check_keys(fault, {"at", "duration", "proxy", "toxic", "partition", "enabled", "service", "action"}, where);
        FaultDecl f;
        f.pos = rd.pos(fault);
        if (!load_kind(rd, fault, where, chaos, f)) continue;
        load_timing(rd, fault, where, f);
        loaded.push_back({i, std::move(f)});
    }
    check_overlaps(rd, loaded);
    std::stable_sort(loaded.begin(), loaded.end(),
                     [](const Loaded& a, const Loaded& b) { return a.fault.at < b.fault.at; });
    for (auto& l : loaded) chaos.faults.push_back(std::move(l.fault));
}

}  // namespace faultline
