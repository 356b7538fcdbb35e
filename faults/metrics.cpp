#include "faults/metrics.hpp"

#include <fmt/format.h>

#include "common/prometheus.hpp"

namespace faultline::faults {

namespace {

void byte_counter(std::string& out, const ProxyRegistry& registry, const char* metric, const char* help, bool sent) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} counter\n", metric, help, metric);
    for (const auto& [name, proxy] : registry.proxies()) {
        for (auto d : {Direction::downstream, Direction::upstream}) {
            const auto& s = proxy->stats();
            const auto i = static_cast<int>(d);
            fmt::format_to(std::back_inserter(out), "{}{{direction=\"{}\",listener=\"{}\",proxy=\"{}\",upstream=\"{}\"}} {}\n",
                           metric, d == Direction::upstream ? "upstream" : "downstream", prometheus_label(proxy->listen()),
                           prometheus_label(name), prometheus_label(proxy->upstream()),
                           sent ? s.sent_bytes[i] : s.received_bytes[i]);
        }
    }
}

}  // namespace

std::string prometheus_text(const ProxyRegistry& registry) {
    std::string out;
    byte_counter(out, registry, "toxiproxy_proxy_received_bytes_total",
                 "The total bytes received from the source of a link.", false);
    byte_counter(out, registry, "toxiproxy_proxy_sent_bytes_total", "The total bytes sent to the destination of a link.",
                 true);
    out += "# HELP faultline_proxy_connections_active Client connections open through the proxy.\n"
           "# TYPE faultline_proxy_connections_active gauge\n";
    for (const auto& [name, proxy] : registry.proxies())
        fmt::format_to(std::back_inserter(out), "faultline_proxy_connections_active{{proxy=\"{}\"}} {}\n",
                       prometheus_label(name), proxy->stats().connections_active);
    out += "# HELP faultline_proxy_connections_total Client connections accepted by the proxy.\n"
           "# TYPE faultline_proxy_connections_total counter\n";
    for (const auto& [name, proxy] : registry.proxies())
        fmt::format_to(std::back_inserter(out), "faultline_proxy_connections_total{{proxy=\"{}\"}} {}\n",
                       prometheus_label(name), proxy->stats().connections_total);
    return out;
}

}  // namespace faultline::faults
