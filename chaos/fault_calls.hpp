#pragma once
// The Toxiproxy API calls each kind of fault is made of, as pure values: what to send to
// apply it and what undoes it. Unit-tested byte for byte; both transports send exactly these.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "chaos/api_transport.hpp"
#include "scenarios/chaos_spec.hpp"

namespace faultline::chaos {

// One change to one proxy and the call that undoes it.
struct ProxyChange {
    std::string proxy;
    ApiCall apply;
    ApiCall revert;
};

// The calls for a proxy fault (toxic, partition, disabled), in order: one per proxy for
// toxic and disabled, two per proxy (upstream, downstream) for partition. Empty for service
// faults. `index` is the fault's position in ChaosSpec::faults (it makes toxic names unique).
std::vector<ProxyChange> proxy_changes(const FaultDecl& fault, std::size_t index);

// The name of the toxic fault `index` adds: the declared name, or "faultline_<index>_<type>_<stream>".
std::string toxic_name(const FaultDecl& fault, std::size_t index, std::string_view type, std::string_view stream);

ApiCall create_proxy_call(const ProxyDecl& proxy);  // POST /proxies {name, listen, upstream, enabled:true}
ApiCall get_proxy_call(std::string_view name);
ApiCall delete_proxy_call(std::string_view name);

// A revert succeeded, or there was nothing left to revert (404: the toxic or proxy is gone).
bool revert_done(const ApiCall& revert, int status) noexcept;

// `name` percent-encoded where a path segment needs it; proxy_path = "/proxies/" + that.
std::string path_segment(std::string_view name);
std::string proxy_path(std::string_view name);

// "latency on db", "partition on db,cache", "pause on api" (the progress line).
std::string fault_label(const FaultDecl& fault);

// The `listen` a proxy reply reports, made connectable: a wildcard or empty host
// ("0.0.0.0:1", "[::]:1", ":1") becomes `host`; anything else is returned unchanged.
std::string connectable_listen(std::string_view listen, std::string_view host);

// The `{"error": ...}` text of an API error body, or the body itself, for messages.
std::string api_error_text(const ApiResponse& response);

}  // namespace faultline::chaos
