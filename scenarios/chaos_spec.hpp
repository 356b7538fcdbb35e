#pragma once
// The system-under-test part of a scenario: proxies to put in front of dependencies,
// processes to start, and the fault timeline. Plain values; chaos/ runs them.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.hpp"
#include "scenarios/source_pos.hpp"

namespace faultline {

// `proxies: - { name: db, listen: 127.0.0.1:0, upstream: 127.0.0.1:5432 }`
struct ProxyDecl {
    std::string name;
    std::string listen;    // host:port; port 0 = any free port (the real one is read back)
    std::string upstream;  // host:port
    SourcePos pos;
};

struct ReadyProbe {
    enum class Kind { none, http, tcp };
    Kind kind = Kind::none;
    std::string target;  // http: a URL answered with 2xx/3xx when ready; tcp: host:port accepting
    Duration timeout = std::chrono::seconds(10);
};

// `services: - { name: api, command: [...], ready: {...} }`. Templates in command, env and
// ready are already rendered ({{proxies.NAME.listen}} included, see LoadOptions::runtime).
struct ServiceDecl {
    std::string name;
    std::vector<std::string> command;  // argv; command[0] is looked up in PATH when it has no '/'
    std::vector<std::pair<std::string, std::string>> env;  // added to the inherited environment
    std::string cwd;                   // empty: the scenario file's directory
    ReadyProbe ready;
    SourcePos pos;
};

// A toxic as Toxiproxy takes it: attributes already converted to Toxiproxy's raw integer
// units (latency/jitter/delay/timeout ms, rate KB/s, slicer delay us, sizes bytes).
struct ToxicDecl {
    std::string type;                   // a Toxiproxy toxic type
    std::string name;                   // empty: chosen by chaos/ (unique per fault)
    std::string stream = "downstream";  // "upstream" or "downstream"
    double toxicity = 1.0;
    boost::json::object attributes;
};

enum class ServiceAction { pause, kill, restart };

struct FaultDecl {
    enum class Kind {
        toxic,      // add `toxic` to each proxy, remove it at the end
        partition,  // timeout toxic (timeout 0) on both streams of each proxy
        disabled,   // proxy disabled (connections closed), enabled again at the end
        service     // `action` on `service`
    };
    Kind kind = Kind::toxic;
    Duration at{0};        // from the run's origin (first intended send after warm-up)
    Duration duration{0};  // > 0; only a restart may be 0
    std::vector<std::string> proxies;  // proxy faults: one or more proxy names
    std::string service;               // service faults
    ServiceAction action = ServiceAction::pause;
    ToxicDecl toxic;                   // Kind::toxic
    SourcePos pos;

    // The result's `type`: the toxic type, or partition, disabled, pause, kill, restart.
    std::string type_name() const;
};

struct ChaosSpec {
    std::vector<ProxyDecl> proxies;
    std::optional<std::string> toxiproxy_url;  // drive this Toxiproxy API instead of an embedded proxy
    std::vector<ServiceDecl> services;
    std::vector<FaultDecl> faults;  // sorted by `at`
    bool empty() const noexcept { return proxies.empty() && services.empty() && faults.empty(); }
};

}  // namespace faultline
