#include <algorithm>
#include "common/text.hpp"
#include <cctype>
#include <fmt/format.h>

#include "common/units.hpp"
#include "scenarios/loader_parts.hpp"

namespace faultline {
namespace {

// RFC 9110 token characters, for methods and header names.
bool is_token(std::string_view s) {
    constexpr std::string_view kExtra = "!#$%&'*+-.^_`|~";
    return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || kExtra.find(c) != std::string_view::npos;
    });
}

bool load_think(YamlReader& rd, const YAML::Node& node, const std::string& where, Step& out) {
    const bool keys_ok = rd.check_keys(node, {"think"}, where);
    const auto n = node["think"];
    auto text = rd.string(n, where + ".think");
    if (!text) return false;
    const auto dots = text->find("..");
    const auto lo = parse_duration(std::string_view(*text).substr(0, dots));
    const auto hi = dots == std::string::npos ? lo : parse_duration(std::string_view(*text).substr(dots + 2));
    if (!lo || !hi) {
        rd.error(n, fmt::format("{}.think: {} (use a duration like 200ms or a range like 100ms..500ms)", where,
                                !lo ? lo.error : hi.error));
        return false;
    }
    if (*hi < *lo) {
        rd.error(n, fmt::format("{}.think: the range '{}' ends before it starts", where, *text));
        return false;
    }
    out = ThinkStep{*lo, *hi};
    return keys_ok;
}

// A path must be origin-form; a full URL must be http(s). Only the parts known now are checked.
// A URL naming a proxy whose port is not bound yet (port 0) is checked when the run loads the
// file again with the real address.
void check_location(YamlReader& rd, const YAML::Node& n, const std::string& what, const HttpStep& h,
                    bool unbound_proxy) {
    const auto& parts = h.url.parts();
    if (parts.empty() || parts.front().kind != TemplatePart::Kind::literal) return;
    const auto& head = parts.front().text;
    if (!h.full_url) {
        if (!head.starts_with("/")) rd.error(n, what + ": a path must start with '/' (use 'url:' for a full URL)");
    } else if (h.url.is_literal()) {
        if (unbound_proxy) return;
        if (auto u = parse_target_url(head); !u) rd.error(n, what + ": " + u.error);
    } else if (!head.starts_with("http://") && !head.starts_with("https://")) {
        rd.error(n, what + ": must start with http:// or https://");
    }
}

void load_headers(YamlReader& rd, const YAML::Node& node, const std::string& where, const TemplateSymbols& symbols,
                  HttpStep& h) {
    if (!rd.expect_map(node, where)) return;
    for (const auto& kv : node) {
        const std::string name = kv.first.Scalar();
        if (!is_token(name)) rd.error(kv.first, fmt::format("{}: '{}' is not a valid header name", where, name));
        if (auto t = rd.templ(kv.second, where + "." + name, symbols)) h.headers.emplace_back(name, std::move(*t));
    }
}

void load_body(YamlReader& rd, const YAML::Node& req, const std::string& where, const TemplateSymbols& symbols,
               HttpStep& h) {
    const auto json = req["json"];
    const auto body = req["body"];
    if (json && body) rd.error(body, where + ": give either 'json' or 'body', not both");
    if (body) {
        if (auto t = rd.templ(body, where + ".body", symbols)) h.body = std::move(*t);
    } else if (json) {
        Template t;
        if (!json_body_template(rd, json, where + ".json", symbols, t)) return;
        h.body = std::move(t);
        const bool typed = std::any_of(h.headers.begin(), h.headers.end(),
                                       [](const auto& hd) { return iequals(hd.first, "content-type"); });
        if (!typed) h.headers.emplace_back("Content-Type", Template::literal("application/json"));
    }
}

// Fills method, url, headers and body; returns the path or URL as written (for the default name).
std::string load_request(YamlReader& rd, const YAML::Node& req, const std::string& where,
                         const TemplateSymbols& symbols, HttpStep& h) {
    if (!rd.expect_map(req, where)) return {};
    rd.check_keys(req, {"method", "path", "url", "headers", "json", "body"}, where);
    if (const auto m = req["method"]) {
        auto v = rd.string(m, where + ".method");
        if (v && !is_token(*v)) rd.error(m, fmt::format("{}.method: '{}' is not an HTTP method", where, *v));
        else if (v) {
            // Methods are case-sensitive on the wire, but `get` in a file always means GET.
            h.method = *v;
            for (auto& c : h.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
    }
    const auto path = req["path"];
    const auto url = req["url"];
    if (path && url) rd.error(url, where + ": give either 'path' or 'url', not both");
    if (!path && !url) rd.error(req, where + ": missing 'path' (or 'url' for a full URL)");
    std::string written;
    if (const auto n = path ? path : url) {
        const std::string what = where + (path ? ".path" : ".url");
        h.full_url = !path;
        if (n.IsScalar()) written = n.Scalar();
        if (auto t = rd.templ(n, what, symbols)) {
            h.url = std::move(*t);
            check_location(rd, n, what, h, uses_unbound_proxy(written, symbols));
        }
    }
    if (const auto hd = req["headers"]) load_headers(rd, hd, where + ".headers", symbols, h);
    load_body(rd, req, where, symbols, h);
    return written;
}

bool load_http_step(YamlReader& rd, const YAML::Node& node, const std::string& where,
                    const TemplateSymbols& symbols, Step& out) {
    const std::size_t errors_before = rd.diagnostics().size();
    rd.check_keys(node, {"name", "request", "expect", "extract", "abort_on_fail"}, where);
    HttpStep h;
    h.pos = rd.pos(node);
    const std::string written = load_request(rd, node["request"], where + ".request", symbols, h);
    h.name = h.method + " " + written;
    if (const auto n = node["name"]) {
        auto v = rd.string(n, where + ".name");
        if (v && v->empty()) rd.error(n, where + ".name: must not be empty");
        else if (v) h.name = *v;
    }
    if (const auto n = node["expect"]) load_expect(rd, n, where + ".expect", h.expect);
    if (const auto n = node["extract"]) load_extract(rd, n, where + ".extract", symbols.slots, h.extract);
    if (const auto n = node["abort_on_fail"]) {
        if (auto v = rd.boolean(n, where + ".abort_on_fail")) h.abort_on_fail = *v;
    }
    out = std::move(h);
    return rd.diagnostics().size() == errors_before;
}

}  // namespace

bool load_step(YamlReader& rd, const YAML::Node& node, const std::string& where, const TemplateSymbols& symbols,
               Step& out) {
    if (!rd.expect_map(node, where)) return false;
    if (node["think"]) return load_think(rd, node, where, out);
    if (node["request"]) return load_http_step(rd, node, where, symbols, out);
    rd.check_keys(node, {"name", "request", "expect", "extract", "abort_on_fail", "think"}, where);
    rd.error(node, where + ": a step needs a 'request' (or is a pause: 'think: 200ms')");
    return false;
}

}  // namespace faultline
