#include "chaos/fault_calls.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <cctype>
#include <cstdint>

namespace faultline::chaos {

namespace json = boost::json;

namespace {

std::string toxic_body(const std::string& name, const std::string& type, const std::string& stream, double toxicity,
                       const json::object& attributes) {
    json::object body;
    body["name"] = name;
    body["type"] = type;
    body["stream"] = stream;
    // 1 rather than 1E0 in logs; Toxiproxy reads either into its float32.
    if (toxicity == static_cast<double>(static_cast<std::int64_t>(toxicity)))
        body["toxicity"] = static_cast<std::int64_t>(toxicity);
    else
        body["toxicity"] = toxicity;
    body["attributes"] = attributes;
    return json::serialize(body);
}

ProxyChange add_toxic(const std::string& proxy, const std::string& name, const std::string& body) {
    const auto toxics = proxy_path(proxy) + "/toxics";
    return {proxy, {"POST", toxics, body}, {"DELETE", toxics + "/" + path_segment(name), ""}};
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) out += (out.empty() ? "" : ",") + name;
    return out;
}

}  // namespace

std::string path_segment(std::string_view name) {
    // Toxiproxy matches one percent-decoded segment: anything outside the unreserved set is
    // encoded so a name with '/' or ' ' still reaches the right proxy or toxic.
    std::string out;
    for (const unsigned char c : name) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string proxy_path(std::string_view name) { return "/proxies/" + path_segment(name); }

std::string toxic_name(const FaultDecl& fault, std::size_t index, std::string_view type, std::string_view stream) {
    if (!fault.toxic.name.empty()) return fault.toxic.name;
    return fmt::format("faultline_{}_{}_{}", index, type, stream);
}

std::vector<ProxyChange> proxy_changes(const FaultDecl& fault, std::size_t index) {
    std::vector<ProxyChange> changes;
    for (const auto& proxy : fault.proxies) {
        switch (fault.kind) {
        case FaultDecl::Kind::toxic: {
            const auto& t = fault.toxic;
            const auto name = toxic_name(fault, index, t.type, t.stream);
            changes.push_back(add_toxic(proxy, name, toxic_body(name, t.type, t.stream, t.toxicity, t.attributes)));
            break;
        }
        case FaultDecl::Kind::partition:
            // timeout 0: data is dropped and nothing is closed while it lasts; removing a
            // timeout toxic closes the connections it held, so clients reconnect afterwards.
            for (const std::string stream : {"upstream", "downstream"}) {
                FaultDecl unnamed;  // the partition's toxics are always named by faultline
                const auto name = toxic_name(unnamed, index, "partition", stream);
                changes.push_back(add_toxic(proxy, name, toxic_body(name, "timeout", stream, 1.0, {{"timeout", 0}})));
            }
            break;
        case FaultDecl::Kind::disabled:
            changes.push_back({proxy,
                               {"POST", proxy_path(proxy), R"({"enabled":false})"},
                               {"POST", proxy_path(proxy), R"({"enabled":true})"}});
            break;
        case FaultDecl::Kind::service:
            break;
        }
    }
    return changes;
}

ApiCall create_proxy_call(const ProxyDecl& proxy) {
    json::object body;
    body["name"] = proxy.name;
    body["listen"] = proxy.listen;
    body["upstream"] = proxy.upstream;
    body["enabled"] = true;
    return {"POST", "/proxies", json::serialize(body)};
}

ApiCall get_proxy_call(std::string_view name) { return {"GET", proxy_path(name), ""}; }
ApiCall delete_proxy_call(std::string_view name) { return {"DELETE", proxy_path(name), ""}; }

bool revert_done(const ApiCall& revert, int status) noexcept {
    return (status >= 200 && status < 300) || (status == 404 && revert.method == "DELETE");
}

std::string fault_label(const FaultDecl& fault) {
    const auto target = fault.kind == FaultDecl::Kind::service ? fault.service : join(fault.proxies);
    return fault.type_name() + " on " + target;
}

std::string connectable_listen(std::string_view listen, std::string_view host) {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos) return std::string(listen);
    const auto listen_host = listen.substr(0, colon);
    if (listen_host.empty() || listen_host == "0.0.0.0" || listen_host == "[::]" || listen_host == "::")
        return std::string(host) + std::string(listen.substr(colon));
    return std::string(listen);
}

std::string api_error_text(const ApiResponse& response) {
    boost::system::error_code ec;
    const auto value = json::parse(response.body, ec);
    if (!ec && value.is_object()) {
        if (const auto* error = value.as_object().if_contains("error"); error && error->is_string())
            return std::string(error->as_string());
    }
    auto body = response.body;
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
    return body.empty() ? "empty reply" : body;
}

}  // namespace faultline::chaos
