// libFuzzer target: the fault proxy's admin API (faults/api.hpp), the routing, paths and
// JSON bodies any local client can send to `faultline proxy`.
//
// Input: up to kMaxRequests requests separated by lines holding only "%%". Each request is
// "METHOD TARGET[ USER-AGENT]" on its first line, the body after it:
//   POST /proxies
//   {"name":"db","listen":"127.0.0.1:0","upstream":"127.0.0.1:5432"}
//   %%
//   POST /proxies/db/toxics
//   {"type":"latency","attributes":{"latency":100}}
// Every input starts from an empty registry on a fresh io_context that is never run, so an
// input is reproducible on its own, proxies never accept or dial, and every listener an
// input opened is closed when it ends (at most a few hundred, all on port 0).
//
// Sockets: creating or enabling a proxy binds its `listen` address. Before a body reaches
// the API, every "listen" string in it (keys matched as the API does, ASCII
// case-insensitively) is rewritten to port 0 on a loopback address, so the fuzzer never
// takes a fixed port another process may need and never waits on DNS (a host name would be
// resolved). A proxy created without `listen` binds [::]:0 as in Toxiproxy.
//
// Checked: every reply has a valid status, and a JSON content type means a JSON body.
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.hpp"
#include "faults/api.hpp"
#include "faults/api_json.hpp"
#include "faults/proxy_registry.hpp"
#include "faults/sleep_clock.hpp"

namespace {

namespace json = boost::json;
using namespace faultline::faults;

constexpr std::size_t kMaxRequests = 8;

void require(bool ok) {
    if (!ok) std::abort();
}

bool valid_port(std::string_view text) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return !text.empty() && ec == std::errc() && p == text.data() + text.size() && value <= 65535;
}

// "host:port" -> a loopback host with port 0. Strings the API rejects before binding (no
// colon, a bad port) are kept so their error paths stay covered.
std::string safe_listen(std::string_view listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos || !valid_port(listen.substr(colon + 1))) return std::string(listen);
    const auto host = listen.substr(0, colon);
    const bool loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    return std::string(loopback ? host : "127.0.0.1") + ":0";
}

bool rewrite_listens(json::value& v, int depth = 0) {
    if (depth > 64) return false;
    bool changed = false;
    if (auto* o = v.if_object()) {
        for (auto& kv : *o) {
            if (faultline::iequals(kv.key(), "listen") && kv.value().is_string()) {
                std::string safe = safe_listen(kv.value().get_string());
                changed |= safe != std::string_view(kv.value().get_string());
                kv.value() = safe;
            } else {
                changed |= rewrite_listens(kv.value(), depth + 1);
            }
        }
    } else if (auto* a = v.if_array()) {
        for (auto& item : *a) changed |= rewrite_listens(item, depth + 1);
    }
    return changed;
}

// The body the API gets: the input's own bytes unless a listen address had to change (then
// the same first JSON value, serialised again; bytes after it are ignored by the API anyway).
std::string safe_body(std::string_view body) {
    auto parsed = parse_body(body);
    if (!parsed.error.empty() || !rewrite_listens(parsed.value)) return std::string(body);
    return json::serialize(parsed.value);
}

void check(const ApiReply& reply) {
    require(reply.status >= 100 && reply.status <= 599);
    require(reply.body.empty() || !reply.content_type.empty());
    if (reply.content_type.starts_with("application/json")) {
        boost::system::error_code ec;
        (void)json::parse(reply.body, ec);
        require(!ec);
    }
}

struct Request {
    std::string_view method, target, user_agent, body;
};

Request split_request(std::string_view text) {
    Request r;
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    r.body = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    const auto sp1 = line.find(' ');
    r.method = line.substr(0, sp1);
    if (sp1 == std::string_view::npos) return r;
    line.remove_prefix(sp1 + 1);
    const auto sp2 = line.find(' ');
    r.target = line.substr(0, sp2);
    if (sp2 != std::string_view::npos) r.user_agent = line.substr(sp2 + 1);
    return r;
}

std::vector<std::string_view> split_requests(std::string_view input) {
    std::vector<std::string_view> out;
    while (out.size() < kMaxRequests) {
        const auto sep = input.find("\n%%\n");
        out.push_back(input.substr(0, sep));
        if (sep == std::string_view::npos) break;
        input.remove_prefix(sep + 4);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    boost::asio::io_context io;
    {
        ProxyRegistry registry(io.get_executor(), SteadySleepClock::instance(), 1);
        Api api(registry);
        for (const auto text : split_requests(input)) {
            const Request r = split_request(text);
            const std::string body = safe_body(r.body);
            check(api.handle({r.method, r.target, body, r.user_agent}));
        }
        // Every state the requests left must list and export.
        check(api.handle({"GET", "/proxies", "", ""}));
        check(api.handle({"GET", "/metrics", "", ""}));
    }
    return 0;
}
