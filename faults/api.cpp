#include "faults/api.hpp"

#include <fmt/format.h>

#include "faults/api_json.hpp"
#include "faults/listen_address.hpp"
#include "faults/metrics.hpp"
#include "faults/populate.hpp"

namespace faultline::faults {

namespace {

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

// "/proxies/a/toxics" -> {"proxies","a","toxics"}; empty segments kept (so "/proxies/" 404s).
std::vector<std::string> split_path(std::string_view target) {
    target = target.substr(0, target.find('?'));
    const std::string path = percent_decode(target);
    std::vector<std::string> parts;
    if (path.empty() || path[0] != '/') return parts;
    std::size_t start = 1;
    for (;;) {
        const auto slash = path.find('/', start);
        parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return parts;
}

ApiReply not_found_page() { return {404, "text/plain; charset=utf-8", "404 page not found\n", true}; }
ApiReply method_not_allowed() { return {405, "", "", false}; }
ApiReply no_content() { return {204, "", "", false}; }
bool is_update(std::string_view m) { return m == "POST" || m == "PATCH"; }

}  // namespace

ApiReply json_reply(int status, const json::value& value) { return {status, "application/json", write_json(value), false}; }

ApiReply error_reply(int status, std::string_view message) {
    // Go's http.Error: text/plain content type, nosniff, trailing newline.
    return {status, "text/plain; charset=utf-8", write_json(error_json(message, status)) + "\n", true};
}

ApiReply Api::handle(const ApiRequest& request) {
    if (request.user_agent.starts_with("Mozilla/"))  // CSRF guard: browsers are refused
        return {403, "text/plain; charset=utf-8", "User agent not allowed\n", true};
    return route(request.method, split_path(request.target), request.body);
}

ApiReply Api::route(std::string_view m, const std::vector<std::string>& p, std::string_view body) {
    const std::size_t n = p.size();
    if (n == 1 && p[0] == "metrics") return {200, "text/plain; version=0.0.4; charset=utf-8", prometheus_text(registry_)};
    if (n == 1 && p[0] == "version") {
        if (m != "GET") return method_not_allowed();
        return {200, "application/json;charset=utf-8", fmt::format("{{\"version\": \"{}\"}}\n", kToxiproxyVersion)};
    }
    if (n == 1 && p[0] == "reset") return m == "POST" ? reset() : method_not_allowed();
    if (n == 1 && p[0] == "populate") return m == "POST" ? populate(body) : method_not_allowed();
    if (n == 0 || p[0] != "proxies" || n > 4) return not_found_page();
    if (n >= 3 && p[2] != "toxics") return not_found_page();
    if (n >= 2 && p[1].empty()) return not_found_page();
    if (n >= 4 && p[3].empty()) return not_found_page();
    if (n == 1) {
        if (m == "GET") return list_proxies();
        if (m == "POST") return create_proxy(body);
        return method_not_allowed();
    }
    const bool allowed = n == 2   ? (m == "GET" || is_update(m) || m == "DELETE")
                         : n == 3 ? (m == "GET" || m == "POST")
                                  : (m == "GET" || is_update(m) || m == "DELETE");
    if (!allowed) return method_not_allowed();
    auto proxy = registry_.find(p[1]);
    if (!proxy) return error_reply(404, "proxy not found");
    if (n == 2) {
        if (m == "GET") return json_reply(200, proxy_json(*proxy));
        if (m == "DELETE") return delete_proxy(p[1]);
        return update_proxy(*proxy, body);
    }
    if (n == 3) return m == "GET" ? list_toxics(*proxy) : create_toxic(*proxy, body);
    const ToxicSpec* toxic = proxy->find_toxic(p[3]);
    if (!toxic) return error_reply(404, "toxic not found");
    if (m == "GET") return json_reply(200, toxic_json(*toxic));
    if (m == "DELETE") {
        proxy->remove_toxic(p[3]);
        return no_content();
    }
    return update_toxic(*proxy, *toxic, body);
}

ApiReply Api::list_proxies() {
    json::object all;
    for (const auto& [name, proxy] : registry_.proxies()) all[name] = proxy_json(*proxy);
    return json_reply(200, all);
}

ApiReply Api::create_proxy(std::string_view body) {
    auto parsed = parse_body(body);
    if (!parsed.error.empty()) return error_reply(400, parsed.error);
    ProxyBody p;
    if (auto error = decode_proxy(parsed.value, p); !error.empty()) return error_reply(400, error);
    if (p.name.value_or("").empty()) return error_reply(400, "missing required field: name");
    if (p.upstream.value_or("").empty()) return error_reply(400, "missing required field: upstream");
    if (registry_.find(*p.name)) return error_reply(409, "proxy already exists");
    // `toxics` in this request is ignored, as in Toxiproxy (only populate/--config apply them).
    auto proxy = registry_.add(*p.name, p.listen.value_or(""), *p.upstream);
    if (p.enabled.value_or(true)) {
        if (auto error = proxy->start(); !error.empty()) {
            registry_.remove(*p.name);
            return error_reply(500, error);
        }
    }
    return json_reply(201, proxy_json(*proxy));
}

ApiReply Api::populate(std::string_view body) {
    auto parsed = parse_body(body);
    if (!parsed.error.empty()) return error_reply(400, parsed.error);
    auto check = validate_populate(parsed.value, registry_.toxic_types());
    if (check.status != 0) {
        auto o = error_json(check.error, check.status);
        o["proxies"] = json::array{};
        return {check.status, "application/json", write_json(o) + "\n", false};
    }
    auto result = apply_populate(registry_, check.items);
    json::array proxies;  // [] rather than Toxiproxy's null for an empty input
    for (const auto& proxy : result.proxies) proxies.push_back(proxy_json(*proxy));
    if (result.status != 0) {
        auto o = error_json(result.error, result.status);
        o["proxies"] = std::move(proxies);
        return {result.status, "application/json", write_json(o) + "\n", false};
    }
    return json_reply(201, json::object{{"proxies", std::move(proxies)}});
}

ApiReply Api::update_proxy(Proxy& proxy, std::string_view body) {
    auto parsed = parse_body(body);
    if (!parsed.error.empty()) return error_reply(400, parsed.error);
    ProxyBody p;
    if (auto error = decode_proxy(parsed.value, p); !error.empty()) return error_reply(400, error);
    const bool was_enabled = proxy.enabled();
    const bool listen_changed = p.listen && canonical_listen(*p.listen) != canonical_listen(proxy.listen());
    const bool upstream_changed = p.upstream && *p.upstream != proxy.upstream();
    if (listen_changed || upstream_changed) {
        proxy.stop();  // drops every connection, then restarts below on the new address
        if (listen_changed) proxy.set_listen(*p.listen);
        if (upstream_changed) proxy.set_upstream(*p.upstream);
    }
    const bool want = p.enabled.value_or(was_enabled);
    if (want && !proxy.enabled()) {
        if (auto error = proxy.start(); !error.empty()) return error_reply(500, error);
    } else if (!want && proxy.enabled()) {
        proxy.stop();
    }
    return json_reply(200, proxy_json(proxy));
}

ApiReply Api::delete_proxy(const std::string& name) {
    registry_.remove(name);
    return no_content();
}

ApiReply Api::reset() {
    for (const auto& [name, proxy] : registry_.proxies()) {
        if (auto error = proxy->start(); !error.empty()) return error_reply(500, error);
        proxy->remove_all_toxics();  // live connections stay open
    }
    return no_content();
}

ApiReply Api::list_toxics(const Proxy& proxy) {
    json::array toxics;
    for (const auto* t : proxy.toxics()) toxics.push_back(toxic_json(*t));
    return json_reply(200, toxics);
}

ApiReply Api::create_toxic(Proxy& proxy, std::string_view body) {
    auto parsed = parse_body(body);
    if (!parsed.error.empty()) return error_reply(400, parsed.error);
    ToxicBody t;
    if (auto error = decode_toxic(parsed.value, t); !error.empty()) return error_reply(400, error);
    auto built = build_toxic(t, registry_.toxic_types(), [&](std::string_view name) { return proxy.find_toxic(name) != nullptr; });
    if (built.status != 0) return error_reply(built.status, built.error);
    auto reply = json_reply(200, toxic_json(built.spec));  // 200, not 201, as Toxiproxy
    proxy.add_toxic(std::move(built.spec));
    return reply;
}

ApiReply Api::update_toxic(Proxy& proxy, const ToxicSpec& toxic, std::string_view body) {
    auto parsed = parse_body(body);
    if (!parsed.error.empty()) return error_reply(400, parsed.error);
    ToxicBody t;
    if (auto error = decode_toxic(parsed.value, t); !error.empty()) return error_reply(400, error);
    const ToxicType* type = registry_.toxic_types().find(toxic.type);
    ToxicSpec updated = toxic;  // only attributes (partially) and toxicity change
    if (auto error = decode_attributes(*type, t.attributes, updated.attributes); !error.empty())
        return error_reply(400, error);
    if (t.toxicity) updated.toxicity = static_cast<float>(*t.toxicity);
    auto made = type->make(updated.attributes);
    if (!made.toxic) return error_reply(400, made.error);
    updated.impl = std::move(made.toxic);
    auto reply = json_reply(200, toxic_json(updated));
    proxy.update_toxic(std::move(updated));
    return reply;
}

}  // namespace faultline::faults
