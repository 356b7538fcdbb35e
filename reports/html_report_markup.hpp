#pragma once
// Small text helpers shared by the HTML, SVG and JUnit writers: escaping for XML/HTML
// text and attribute values, and compact number formatting for labels.
#include <string>
#include <string_view>

namespace faultline {

// Escapes & < > " ' so the result is safe both as element text and inside a quoted
// attribute (HTML and XML). Control characters that XML 1.0 forbids (below 0x20 except
// tab, LF, CR) become U+FFFD; invalid UTF-8 is passed through unchanged (browsers repair it,
// and result strings come from our own UTF-8 inputs).
std::string xml_escape(std::string_view text);

// A number for an axis label or a table cell: at most `digits` significant digits, no
// trailing zeros, no exponent for everyday magnitudes ("0.25", "1200", "3.5e-05").
std::string format_number(double value, int digits = 4);

// A fraction in 0..1 as a percentage with adaptive precision ("0%", "0.012%", "12.5%").
std::string format_percent(double fraction);

}  // namespace faultline
