#pragma once
// JSON for the Toxiproxy API, reproducing Go encoding/json's leniency on input
// (case-insensitive keys, unknown keys ignored, null = default, only the first value read,
// integer-only attributes) and Toxiproxy's shapes and key order on output.
#include <boost/json/value.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "faults/proxy.hpp"

namespace faultline::faults {

namespace json = boost::json;

// Parses the first JSON value of `body`; on failure `error` holds the full API message
// ("bad request body: EOF" for an empty body).
struct ParsedBody {
    json::value value;
    std::string error;
};
ParsedBody parse_body(std::string_view body);

struct ProxyBody {
    std::optional<std::string> name, listen, upstream;
    std::optional<bool> enabled;
    const json::value* toxics = nullptr;  // populate/--config only; null when absent
};
// "" or "bad request body: ..." (wrong JSON type for a field).
std::string decode_proxy(const json::value& value, ProxyBody& out);

struct ToxicBody {
    std::optional<std::string> name, type, stream;
    std::optional<double> toxicity;
    const json::value* attributes = nullptr;
};
std::string decode_toxic(const json::value& value, ToxicBody& out);

// Decodes `attributes` (an object, may be null) into `values`, keeping what it omits.
std::string decode_attributes(const ToxicType& type, const json::value* attributes, Attributes& values);

// Validates a toxic create request in Toxiproxy's order (stream, default name, type,
// name_taken -> 409, attributes). status 0 = ok.
struct ToxicBuild {
    int status = 0;
    std::string error;
    ToxicSpec spec;
};
ToxicBuild build_toxic(const ToxicBody& body, const ToxicRegistry& types,
                       const std::function<bool(std::string_view)>& name_taken);

json::object toxic_json(const ToxicSpec& toxic);
json::object proxy_json(const Proxy& proxy);
// {"error":..., "status":N}
json::object error_json(std::string_view message, int status);

// Serialises like Go: shortest round-trip numbers (toxicity 0.2 prints as 0.2, 1 as 1).
std::string write_json(const json::value& value);

}  // namespace faultline::faults
