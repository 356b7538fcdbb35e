#pragma once
// HdrHistogram V2 binary encoding, its zlib-compressed wrapper and the base64 text form
// (shared/specs/hdrhistogram.md 6.2 and 6.3). The base64 compressed form is what result
// files' `hdr` fields and interval-log lines carry, and what Java, C and hdr-histogram-js
// read.
//
// Encoders write the Java/JS canonical payload: counts[0 .. index(max)], a lone zero as 0, a
// run of N >= 2 zeros as -N, an empty histogram as a single 0. Header: normalizing index
// offset 0, conversion ratio = bits of the double 1.0.
//
// Decoders take hostile input: every malformed, truncated or oversized blob throws
// HdrDecodeError (never reads out of bounds, never allocates more than the declared config
// needs: counts_length int64s plus at most 40 + 9 * counts_length inflated bytes, capped at
// 64 MiB). They accept C's -1 single-zero runs and trailing zero entries, ignore header
// offsets 8 (normalizing offset) and 32 (conversion ratio), build the histogram from the
// header's lowest/highest/digits, and recompute total/min/max from the counts.
// Only V2 is supported (cookie 0x1c849313, compressed 0x1c849314), like hdr-histogram-js.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "reports/histogram.hpp"

namespace faultline {

class HdrDecodeError : public std::runtime_error {
public:
    using runtime_error::runtime_error;
};

inline constexpr std::uint32_t kHdrV2Cookie = 0x1c849313;
inline constexpr std::uint32_t kHdrV2CompressedCookie = 0x1c849314;
inline constexpr std::size_t kHdrV2HeaderSize = 40;

// Uncompressed V2: 40-byte header + ZigZag LEB128 payload.
std::vector<std::uint8_t> encode_v2(const Histogram& histogram);
// Compressed cookie, compressed length, zlib stream (default level) of encode_v2().
std::vector<std::uint8_t> encode_compressed(const Histogram& histogram);
// base64 (standard alphabet, padded, no newlines) of encode_compressed(): "HISTFAAA...".
std::string encode_compressed_base64(const Histogram& histogram);

// Bytes after the declared payload are ignored (as Java does).
Histogram decode_v2(std::span<const std::uint8_t> bytes);
// Bytes after the declared compressed length are ignored; the zlib stream itself must end
// (checksum verified) exactly after the header + declared payload.
Histogram decode_compressed(std::span<const std::uint8_t> bytes);
// Invalid base64 also throws HdrDecodeError.
Histogram decode_compressed_base64(std::string_view text);

}  // namespace faultline
