#pragma once
// RFC 4648 base64 (standard alphabet), as used for HdrHistogram blobs in result files and
// interval logs. Pure functions.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

// Standard alphabet, '=' padding, no line breaks.
std::string base64_encode(std::span<const std::uint8_t> bytes);

// Accepts padded or unpadded input in the standard alphabet; bits left over after the last
// whole byte are ignored (as Java and Node do). Throws std::invalid_argument on any other
// character (including whitespace), misplaced '=' or an impossible length.
std::vector<std::uint8_t> base64_decode(std::string_view text);

}  // namespace faultline
