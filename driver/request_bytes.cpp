#include "driver/request_bytes.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <iterator>
#include <vector>

namespace faultline {
namespace {

bool has_header(std::span<const HeaderView> headers, std::string_view name) {
    return std::any_of(headers.begin(), headers.end(), [&](const HeaderView& h) {
        return h.first.size() == name.size() &&
               std::equal(h.first.begin(), h.first.end(), name.begin(),
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
    });
}

void append(std::string& out, std::string_view a, std::string_view b, std::string_view c = {}) {
    out.append(a);
    out.append(b);
    out.append(c);
}

}  // namespace

void append_request(std::string& out, std::string_view method, const TargetUrl& url, std::span<const HeaderView> headers,
                    std::string_view body, bool keep_alive) {
    append(out, method, " ", url.target);
    out.append(" HTTP/1.1\r\n");
    if (!has_header(headers, "host")) append(out, "Host: ", url.host_header, "\r\n");
    if (!has_header(headers, "user-agent")) out.append("User-Agent: faultline/" FAULTLINE_VERSION "\r\n");
    if (!has_header(headers, "accept")) out.append("Accept: */*\r\n");
    for (const auto& [name, value] : headers) {
        append(out, name, ": ", value);
        out.append("\r\n");
    }
    const bool body_method = method == "POST" || method == "PUT" || method == "PATCH";
    if (!has_header(headers, "content-length") && (!body.empty() || body_method)) {
        char digits[24];
        const auto end = fmt::format_to(digits, "{}", body.size());
        append(out, "Content-Length: ", std::string_view(digits, static_cast<std::size_t>(end - digits)), "\r\n");
    }
    if (!keep_alive && !has_header(headers, "connection")) out.append("Connection: close\r\n");
    out.append("\r\n");
    out.append(body);
}

std::string serialize_request(const RequestSpec& spec) {
    std::vector<HeaderView> headers;
    for (const auto& [n, v] : spec.headers) headers.emplace_back(n, v);
    std::string out;
    append_request(out, spec.method, spec.url, headers, spec.body);
    return out;
}

}  // namespace faultline
