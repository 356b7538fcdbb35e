#pragma once
// POST /populate and --config: a JSON array of proxies, validated in full first (nothing
// changes on a 400), then applied in order, stopping at the first error. Unlike Toxiproxy,
// an entry's `toxics` are validated and, when given, replace that proxy's toxics.
#include <optional>
#include <string>
#include <vector>

#include "faults/api_json.hpp"
#include "faults/proxy_registry.hpp"

namespace faultline::faults {

struct PopulateItem {
    std::string name, listen, upstream;
    bool enabled = true;
    std::optional<std::vector<ToxicSpec>> toxics;
};

struct PopulateCheck {
    int status = 0;            // 0 = valid
    std::string error;         // the API message ("missing required field: name at proxy 2")
    std::size_t entry = 0;     // 1-based entry at fault
    std::string field;         // "name", "upstream", "toxics[0].type", ...
    std::string reason;        // the message without the position
    std::vector<PopulateItem> items;
};
PopulateCheck validate_populate(const json::value& body, const ToxicRegistry& types);

struct PopulateResult {
    int status = 0;  // 0 = ok; else the first error's status (proxies: created so far)
    std::string error;
    std::size_t entry = 0;
    std::vector<std::shared_ptr<Proxy>> proxies;
};
PopulateResult apply_populate(ProxyRegistry& registry, const std::vector<PopulateItem>& items);

}  // namespace faultline::faults
