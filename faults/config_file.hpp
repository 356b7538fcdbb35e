#pragma once
// --config: a /populate body in a file, loaded before anything listens. Unlike Toxiproxy
// (which logs and carries on), every problem is fatal and names the entry and field.
#include <string>
#include <vector>

#include "faults/populate.hpp"

namespace faultline::faults {

struct ConfigLoad {
    std::vector<PopulateItem> items;
    std::string error;  // "proxies.json: entry 2 (\"web\"): field upstream: missing required field"
};

ConfigLoad load_config(const std::string& path, const ToxicRegistry& types = builtin_toxics());

}  // namespace faultline::faults
