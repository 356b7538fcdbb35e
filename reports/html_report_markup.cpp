#include "reports/html_report_markup.hpp"

#include <cmath>
#include <fmt/format.h>

namespace faultline {

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
                out += "\xEF\xBF\xBD";  // U+FFFD: XML 1.0 has no escape for these
            else
                out += c;
        }
    }
    return out;
}

std::string format_number(double value, int digits) {
    if (!std::isfinite(value)) return "-";
    if (value == 0) return "0";
    std::string s = fmt::format("{:.{}g}", value, digits);
    // "1.2e+03" is harder to read on an axis than "1200": expand moderate exponents.
    if (s.find('e') != std::string::npos && std::fabs(value) >= 1e-4 && std::fabs(value) < 1e15) {
        const int decimals = std::max(0, digits - 1 - static_cast<int>(std::floor(std::log10(std::fabs(value)))));
        s = fmt::format("{:.{}f}", value, decimals);
        if (s.find('.') != std::string::npos) {
            while (s.back() == '0') s.pop_back();
            if (s.back() == '.') s.pop_back();
        }
    }
    return s;
}

std::string format_percent(double fraction) {
    const double pct = fraction * 100.0;
    if (pct == 0) return "0%";
    if (std::fabs(pct) >= 10) return fmt::format("{:.1f}%", pct);
    return format_number(pct, 2) + "%";
}

}  // namespace faultline
