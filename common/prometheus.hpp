#pragma once
// Pieces of the Prometheus text exposition format (0.0.4) shared by the proxy's /metrics
// and the run's --metrics-listen.
#include <string>
#include <string_view>

namespace faultline {

// A label value with `\`, `"` and newlines escaped, ready to go between quotes.
inline std::string prometheus_label(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '\\' || c == '"') out += '\\';
        out += c;
    }
    return out;
}

}  // namespace faultline
