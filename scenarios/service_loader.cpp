#include <algorithm>
#include <fmt/format.h>
#include <system_error>

#include "scenarios/loader_parts.hpp"
#include "scenarios/target_url.hpp"

namespace faultline {
namespace {

// A service is started once, before the load: only values known at load time may be used.
std::optional<std::string> static_text(YamlReader& rd, const YAML::Node& node, const std::string& what,
                                       const TemplateSymbols& statics) {
    auto t = rd.templ(node, what, statics);
    if (!t) return std::nullopt;
    if (!t->is_literal()) {
        rd.error(node, what + ": only variables, env.NAME and proxies.NAME.listen may be used here (a service "
                              "starts once, not per iteration)");
        return std::nullopt;
    }
    return t->literal_text();
}

void load_command(YamlReader& rd, const YAML::Node& node, const std::string& where, const TemplateSymbols& statics,
                  ServiceDecl& svc) {
    const std::string what = where + ".command";
    if (!rd.expect_list(node, what)) return;
    if (node.size() == 0) rd.error(node, what + ": empty list (give the program and its arguments)");
    for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string item = fmt::format("{}[{}]", what, i);
        auto arg = static_text(rd, node[i], item, statics);
        if (arg && i == 0 && arg->empty()) rd.error(node[i], item + ": the program must not be empty");
        if (arg) svc.command.push_back(std::move(*arg));
    }
}

void load_env(YamlReader& rd, const YAML::Node& node, const std::string& where, const TemplateSymbols& statics,
              ServiceDecl& svc) {
    const std::string what = where + ".env";
    if (!rd.expect_map(node, what)) return;
    for (const auto& kv : node) {
        const std::string name = kv.first.Scalar();
        if (!is_identifier(name))
            rd.error(kv.first, fmt::format("{}: '{}' is not an environment variable name", what, name));
        if (auto v = static_text(rd, kv.second, what + "." + name, statics)) svc.env.emplace_back(name, std::move(*v));
    }
}

void load_cwd(YamlReader& rd, const YAML::Node& node, const std::string& where, const std::filesystem::path& base_dir,
              ServiceDecl& svc) {
    auto dir = rd.string(node, where + ".cwd");
    if (!dir) return;
    const auto path = base_dir / *dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec))
        rd.error(node, fmt::format("{}.cwd: '{}' is not a directory", where, path.string()));
    else svc.cwd = path.string();
}

void load_ready(YamlReader& rd, const YAML::Node& node, const std::string& where, const TemplateSymbols& statics,
                ReadyProbe& ready) {
    const std::string what = where + ".ready";
    if (!rd.expect_map(node, what)) return;
    rd.check_keys(node, {"http", "tcp", "timeout"}, what);
    const auto http = node["http"];
    const auto tcp = node["tcp"];
    if (http && tcp) rd.error(tcp, what + ": give either 'http' or 'tcp', not both");
    else if (!http && !tcp) rd.error(node, what + ": give 'http: URL' or 'tcp: host:port'");
    else if (http) {
        if (auto url = static_text(rd, http, what + ".http", statics)) {
            const bool unbound = uses_unbound_proxy(http.Scalar(), statics);
            if (auto parsed = parse_target_url(*url); !parsed && !unbound)
                rd.error(http, what + ".http: " + parsed.error);
            ready.kind = ReadyProbe::Kind::http;
            ready.target = std::move(*url);
        }
    } else if (auto addr = static_text(rd, tcp, what + ".tcp", statics)) {
        const bool unbound = uses_unbound_proxy(tcp.Scalar(), statics);
        if (auto why = host_port_error(*addr, unbound)) rd.error(tcp, fmt::format("{}.tcp: {}", what, *why));
        ready.kind = ReadyProbe::Kind::tcp;
        ready.target = std::move(*addr);
    }
    if (const auto t = node["timeout"]) {
        auto v = rd.duration(t, what + ".timeout");
        if (v && *v <= Duration::zero()) rd.error(t, what + ".timeout: must be greater than zero");
        else if (v) ready.timeout = *v;
    }
}

void load_service(YamlReader& rd, const YAML::Node& node, const std::string& where,
                  const std::filesystem::path& base_dir, const TemplateSymbols& statics, ChaosSpec& chaos) {
    if (!rd.expect_map(node, where)) return;
    rd.check_keys(node, {"name", "command", "env", "cwd", "ready"}, where);
    ServiceDecl svc;
    svc.pos = rd.pos(node);
    svc.cwd = base_dir.string();
    if (const auto name = node["name"]; !name) {
        rd.error(node, where + ": missing 'name'");
    } else if (auto v = rd.string(name, where + ".name")) {
        if (!is_identifier(*v))
            rd.error(name, fmt::format("{}.name: '{}' must be an identifier (letters, digits, _)", where, *v));
        else if (std::any_of(chaos.services.begin(), chaos.services.end(), [&](const auto& o) { return o.name == *v; }))
            rd.error(name, fmt::format("{}.name: duplicate service name '{}'", where, *v));
        svc.name = *v;  // kept even when wrong, so faults naming it are not reported again
    }
    if (const auto n = node["command"]) load_command(rd, n, where, statics, svc);
    else rd.error(node, where + ": missing 'command' (a list: the program and its arguments)");
    if (const auto n = node["env"]) load_env(rd, n, where, statics, svc);
    if (const auto n = node["cwd"]) load_cwd(rd, n, where, base_dir, svc);
    if (const auto n = node["ready"]) load_ready(rd, n, where, statics, svc.ready);
    if (!svc.name.empty()) chaos.services.push_back(std::move(svc));
}

}  // namespace

void load_services(YamlReader& rd, const YAML::Node& services, const std::filesystem::path& base_dir,
                   const TemplateSymbols& symbols, ChaosSpec& chaos) {
    if (!rd.expect_list(services, "services")) return;
    TemplateSymbols statics = symbols;
    statics.slots.clear();
    statics.feeds.clear();
    for (std::size_t i = 0; i < services.size(); ++i)
        load_service(rd, services[i], fmt::format("services[{}]", i), base_dir, statics, chaos);
}

}  // namespace faultline
