#include "examples/demo_target/kv_api.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace faultline::demo {

Reply error_reply(unsigned status, std::string_view message) {
    boost::json::object body;
    body["error"] = message;
    return Reply{status, boost::json::serialize(body) + "\n", "application/json", {}};
}

std::string_view header_of(const Reply& reply, std::string_view name) {
    for (const auto& [n, v] : reply.headers)
        if (n == name) return v;
    return {};
}

bool valid_key(std::string_view key) noexcept {
    if (key.empty() || key.size() > 256) return false;
    for (const char c : key) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '~' || c == '-';
        if (!ok) return false;
    }
    return true;
}

namespace {

Reply no_content() { return Reply{204, {}, {}, {}}; }

Reply kv_key_reply(KvStore& store, std::string_view method, std::string_view key, std::string_view content_type,
                   std::string_view body) {
    if (!valid_key(key)) return error_reply(400, "the key must be 1-256 characters of [A-Za-z0-9._~-]");
    if (method == "GET" || method == "HEAD") {
        auto value = store.get(key);
        if (!value) return error_reply(404, "no such key");
        return Reply{200, std::move(value->body), std::move(value->content_type), {}};
    }
    if (method == "PUT") {
        store.put(key, StoredValue{std::string(body),
                                   content_type.empty() ? "application/octet-stream" : std::string(content_type)});
        return no_content();
    }
    if (method == "DELETE") return store.erase(key) ? no_content() : error_reply(404, "no such key");
    auto reply = error_reply(405, "method not allowed");
    reply.headers.emplace_back("Allow", "GET, HEAD, PUT, DELETE");
    return reply;
}

}  // namespace

bool faults_apply(std::string_view target) noexcept { return target.substr(0, target.find('?')) != "/health"; }

Reply kv_answer(KvStore& store, std::string_view method, std::string_view target, std::string_view content_type,
                   std::string_view body) {
    const auto path = target.substr(0, target.find('?'));
    if (path == "/health") return Reply{200, "ok\n", "text/plain", {}};
    constexpr std::string_view kPrefix = "/kv/";
    if (path.starts_with(kPrefix)) return kv_key_reply(store, method, path.substr(kPrefix.size()), content_type, body);
    return error_reply(404, "no such route: the backend serves /kv/KEY and /health");
}

}  // namespace faultline::demo
