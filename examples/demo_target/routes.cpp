#include "examples/demo_target/routes.hpp"

#include <charconv>

#include "common/units.hpp"

namespace faultline::demo {

namespace {

template <class T>
bool parse_decimal(std::string_view text, T& out) {
    if (text.empty()) return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

bool starts_with_segment(std::string_view path, std::string_view prefix, std::string_view& rest) {
    if (!path.starts_with(prefix)) return false;
    rest = path.substr(prefix.size());
    return true;
}

RoutePlan plan(RouteKind kind) {
    RoutePlan p;
    p.kind = kind;
    return p;
}

RoutePlan bad_request(std::string_view message) { return bad_request_plan(400, message); }

RoutePlan plan_status(std::string_view arg) {
    unsigned code = 0;
    if (!parse_decimal(arg, code) || code < 100 || code > 599)
        return bad_request("/status/NNN takes a status code from 100 to 599\n");
    RoutePlan p = plan(RouteKind::status);
    p.status = code;
    return p;
}

RoutePlan plan_sized(RouteKind kind, std::string_view arg) {
    const auto size = parse_size(arg);
    if (!size) return bad_request("the size must be a byte count, e.g. 1024 or 4KiB\n");
    if (*size > kMaxBodyBytes) return bad_request("the size is capped at 64MiB\n");
    RoutePlan p = plan(kind);
    p.size_bytes = *size;
    return p;
}

RoutePlan plan_delay(std::string_view arg) {
    std::uint64_t ms = 0;
    std::chrono::milliseconds delay{0};
    if (parse_decimal(arg, ms)) {
        if (ms > static_cast<std::uint64_t>(kMaxExtraDelay.count())) return bad_request("the delay is capped at 10m\n");
        delay = std::chrono::milliseconds(ms);
    } else {
        const auto parsed = parse_duration(arg);
        if (!parsed) return bad_request("/delay/MS takes milliseconds or a duration, e.g. 250 or 1.5s\n");
        if (*parsed > kMaxExtraDelay) return bad_request("the delay is capped at 10m\n");
        delay = std::chrono::duration_cast<std::chrono::milliseconds>(*parsed);
    }
    RoutePlan p = plan(RouteKind::ok);
    p.extra_delay = delay;
    return p;
}

}  // namespace

RoutePlan bad_request_plan(unsigned status, std::string_view message) {
    RoutePlan p = plan(RouteKind::bad_request);
    p.status = status;
    p.message = message;
    return p;
}

RoutePlan plan_route(std::string_view target) {
    const auto path = target.substr(0, target.find('?'));
    std::string_view arg;
    if (path == "/health") {
        RoutePlan p = plan(RouteKind::ok);
        p.inject_faults = false;
        return p;
    }
    if (path == "/close") return plan(RouteKind::close);
    if (path == "/echo") return plan(RouteKind::echo);
    if (path == "/login") return plan(RouteKind::login);
    if (path == "/cart") return plan(RouteKind::cart);
    if (path == "/items") return plan(RouteKind::items);
    if (starts_with_segment(path, "/status/", arg)) return plan_status(arg);
    if (starts_with_segment(path, "/bytes/", arg)) return plan_sized(RouteKind::bytes, arg);
    if (starts_with_segment(path, "/chunked/", arg)) return plan_sized(RouteKind::chunked, arg);
    if (starts_with_segment(path, "/delay/", arg)) return plan_delay(arg);
    return RoutePlan{};
}

}  // namespace faultline::demo
