#include "driver/request_bytes.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace faultline {
namespace {

bool has_header(const RequestSpec& spec, std::string_view name) {
    return std::any_of(spec.headers.begin(), spec.headers.end(), [&](const auto& h) {
        return h.first.size() == name.size() &&
               std::equal(h.first.begin(), h.first.end(), name.begin(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    });
}

}  // namespace

std::string serialize_request(const RequestSpec& spec) {
    std::string out = fmt::format("{} {} HTTP/1.1\r\n", spec.method, spec.url.target);
    if (!has_header(spec, "host")) out += fmt::format("Host: {}\r\n", spec.url.host_header);
    if (!has_header(spec, "user-agent")) out += "User-Agent: faultline/" FAULTLINE_VERSION "\r\n";
    if (!has_header(spec, "accept")) out += "Accept: */*\r\n";
    for (const auto& [name, value] : spec.headers) out += fmt::format("{}: {}\r\n", name, value);
    const bool body_method = spec.method == "POST" || spec.method == "PUT" || spec.method == "PATCH";
    if (!has_header(spec, "content-length") && (!spec.body.empty() || body_method))
        out += fmt::format("Content-Length: {}\r\n", spec.body.size());
    out += "\r\n";
    out += spec.body;
    return out;
}

}  // namespace faultline
