#include <algorithm>
#include <cctype>
#include <charconv>
#include <fmt/format.h>

#include "scenarios/loader_parts.hpp"
#include "scenarios/target_url.hpp"

namespace faultline {
namespace {

// The in-process proxy binds loopback on a free port unless told otherwise.
constexpr std::string_view kDefaultListen = "127.0.0.1:0";

// listen/upstream are read before `variables:` exist, so only env.NAME can be used.
std::optional<std::string> literal_value(YamlReader& rd, const YAML::Node& node, const std::string& what,
                                         const TemplateSymbols& env_only) {
    auto t = rd.templ(node, what, env_only);
    if (!t) return std::nullopt;
    if (!t->is_literal()) {
        rd.error(node, what + ": only env.NAME may be used here");
        return std::nullopt;
    }
    return t->literal_text();
}

std::optional<std::string> address(YamlReader& rd, const YAML::Node& node, const std::string& what,
                                   const TemplateSymbols& env_only, bool allow_port_zero) {
    auto text = literal_value(rd, node, what, env_only);
    if (!text) return std::nullopt;
    if (auto why = host_port_error(*text, allow_port_zero)) {
        rd.error(node, fmt::format("{}: {}", what, *why));
        return std::nullopt;
    }
    return text;
}

void load_proxy(YamlReader& rd, const YAML::Node& node, const std::string& where, const TemplateSymbols& env_only,
                ChaosSpec& chaos) {
    if (!rd.expect_map(node, where)) return;
    rd.check_keys(node, {"name", "listen", "upstream"}, where);
    ProxyDecl p;
    p.pos = rd.pos(node);
    p.listen = kDefaultListen;
    const auto name = node["name"];
    if (!name) rd.error(node, where + ": missing 'name'");
    else if (auto v = rd.string(name, where + ".name")) {
        if (!is_identifier(*v))
            rd.error(name, fmt::format("{}.name: '{}' must be an identifier (letters, digits, _)", where, *v));
        else if (std::any_of(chaos.proxies.begin(), chaos.proxies.end(), [&](const auto& o) { return o.name == *v; }))
            rd.error(name, fmt::format("{}.name: duplicate proxy name '{}'", where, *v));
        // Kept even when wrong, so faults naming it are not reported a second time.
        p.name = *v;
    }
    // Port 0 is fine even on an external Toxiproxy: its reply carries the bound address.
    if (const auto n = node["listen"]) {
        if (auto v = address(rd, n, where + ".listen", env_only, true)) p.listen = *v;
    }
    if (const auto n = node["upstream"]) {
        if (auto v = address(rd, n, where + ".upstream", env_only, false)) p.upstream = *v;
    } else {
        rd.error(node, where + ": missing 'upstream' (the host:port the proxy forwards to)");
    }
    if (!p.name.empty()) chaos.proxies.push_back(std::move(p));
}

void load_toxiproxy(YamlReader& rd, const YAML::Node& node, const TemplateSymbols& env_only, ChaosSpec& chaos) {
    auto text = literal_value(rd, node, "toxiproxy", env_only);
    if (!text) return;
    if (auto url = parse_target_url(*text); !url) rd.error(node, "toxiproxy: " + url.error);
    else chaos.toxiproxy_url = *text;
}

std::string runtime_value(const std::vector<std::pair<std::string, std::string>>& runtime, const std::string& key,
                          const std::string& fallback) {
    for (const auto& [name, value] : runtime)
        if (name == key) return value;
    return fallback;
}

}  // namespace

std::optional<std::string> host_port_error(std::string_view text, bool allow_port_zero) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return fmt::format("'{}' is not host:port", text);
    const auto host = text.substr(0, colon);
    const auto port_text = text.substr(colon + 1);
    const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
    const bool plain = !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    });
    if (!bracketed && !plain)
        return fmt::format("'{}' is not host:port (an IPv6 address goes in brackets: [::1]:8080)", text);
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535)
        return fmt::format("'{}' has no valid port (0 to 65535)", text);
    if (port == 0 && !allow_port_zero) return fmt::format("'{}': port 0 cannot be connected to", text);
    return std::nullopt;
}

bool uses_unbound_proxy(std::string_view text, const TemplateSymbols& symbols) {
    return std::any_of(symbols.statics.begin(), symbols.statics.end(), [&](const auto& st) {
        return st.first.starts_with("proxies.") && st.second.ends_with(":0") &&
               text.find(st.first) != std::string_view::npos;
    });
}

void load_proxies(YamlReader& rd, const YAML::Node& root,
                  const std::vector<std::pair<std::string, std::string>>& runtime, TemplateSymbols& symbols,
                  ChaosSpec& chaos) {
    TemplateSymbols env_only;
    env_only.env = symbols.env;
    if (const auto url = root["toxiproxy"]) load_toxiproxy(rd, url, env_only, chaos);
    const auto list = root["proxies"];
    if (!list || !rd.expect_list(list, "proxies")) return;
    for (std::size_t i = 0; i < list.size(); ++i)
        load_proxy(rd, list[i], fmt::format("proxies[{}]", i), env_only, chaos);
    for (const auto& p : chaos.proxies) {
        const std::string key = "proxies." + p.name + ".listen";
        symbols.statics.emplace_back(key, runtime_value(runtime, key, p.listen));
    }
}

}  // namespace faultline
