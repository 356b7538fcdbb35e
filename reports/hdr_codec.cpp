#include "reports/hdr_codec.hpp"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <fmt/format.h>
#include <limits>

#include "reports/base64.hpp"

namespace faultline {
namespace {

constexpr std::uint32_t kV2CookieBase = 0x1c849303;
constexpr std::uint32_t kV2CompressedCookieBase = 0x1c849304;
constexpr std::uint32_t kWordSizeNibble = 0xF0;
// 9 bytes per count is the worst case of the 64b9B LEB128 variant.
constexpr std::size_t kMaxWordBytes = 9;
constexpr std::size_t kMaxInflatedBytes = std::size_t{64} << 20;
constexpr std::size_t kCompressedPrefixSize = 8;

// ---- big-endian fields -------------------------------------------------------------------

void put_be(std::vector<std::uint8_t>& out, std::uint64_t v, int bytes) {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

std::uint64_t get_be(std::span<const std::uint8_t> in, std::size_t offset, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | in[offset + static_cast<std::size_t>(i)];
    return v;
}

// ---- ZigZag LEB128, "64b9B" variant ------------------------------------------------------
// Bytes 1-8 carry 7 bits each with 0x80 as continuation; a 9th byte carries the top 8 bits
// whole. So 2^56 and above is 9 bytes, not protobuf's 10.

void put_zigzag(std::vector<std::uint8_t>& out, std::int64_t n) {
    std::uint64_t u = (static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63);
    for (int i = 0; i < 8; ++i) {
        if (u < 0x80) {
            out.push_back(static_cast<std::uint8_t>(u));
            return;
        }
        out.push_back(static_cast<std::uint8_t>((u & 0x7F) | 0x80));
        u >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(u));
}

std::int64_t get_zigzag(std::span<const std::uint8_t> in, std::size_t& pos) {
    std::uint64_t u = 0;
    for (int i = 0; i < 9; ++i) {
        if (pos >= in.size()) throw HdrDecodeError("HdrHistogram V2: payload ends inside a LEB128 word");
        const std::uint8_t b = in[pos++];
        if (i == 8) {
            u |= std::uint64_t{b} << 56;
            break;
        }
        u |= std::uint64_t{b & 0x7Fu} << (7 * i);
        if ((b & 0x80) == 0) break;
    }
    return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

// ---- header --------------------------------------------------------------------------------

struct Header {
    std::size_t payload_length;
    int digits;
    std::int64_t lowest;
    std::int64_t highest;
};

std::string describe_cookie(std::uint32_t cookie) {
    const std::uint32_t base = cookie & ~kWordSizeNibble;
    if (cookie == kHdrV2CompressedCookie) return "a compressed V2 cookie where an uncompressed one was expected";
    if (cookie == kHdrV2Cookie) return "an uncompressed V2 cookie where a compressed one was expected";
    if (base == 0x1c849308 || base == 0x1c849309 || base == 0x1c849301 || base == 0x1c849302)
        return fmt::format("cookie {:#010x} (V0/V1 encoding; only V2 is supported)", cookie);
    if (base == kV2CookieBase || base == kV2CompressedCookieBase)
        return fmt::format("cookie {:#010x} (V2 with an unsupported word size)", cookie);
    return fmt::format("unknown cookie {:#010x}", cookie);
}

Header parse_header(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kHdrV2HeaderSize)
        throw HdrDecodeError(fmt::format("HdrHistogram V2: truncated header ({} of 40 bytes)", bytes.size()));
    const auto cookie = static_cast<std::uint32_t>(get_be(bytes, 0, 4));
    if (cookie != kHdrV2Cookie) throw HdrDecodeError("HdrHistogram V2: " + describe_cookie(cookie));
    const auto payload_length = static_cast<std::int32_t>(get_be(bytes, 4, 4));
    if (payload_length < 0)
        throw HdrDecodeError(fmt::format("HdrHistogram V2: negative payload length {}", payload_length));
    return {static_cast<std::size_t>(payload_length), static_cast<std::int32_t>(get_be(bytes, 12, 4)),
            static_cast<std::int64_t>(get_be(bytes, 16, 8)), static_cast<std::int64_t>(get_be(bytes, 24, 8))};
}

Histogram make_histogram(const Header& h) {
    try {
        return Histogram(h.lowest, h.highest, h.digits);
    } catch (const std::invalid_argument& e) {
        throw HdrDecodeError(fmt::format("HdrHistogram V2: unusable header (lowest {}, highest {}, digits {}): {}",
                                         h.lowest, h.highest, h.digits, e.what()));
    }
}

// Zero runs advance the index without writing (the histogram starts zeroed). A zero entry
// past the end is tolerated: hdr-histogram-js writes one after index(max) for lowest > 1.
void fill_counts(Histogram& histogram, std::span<const std::uint8_t> payload) {
    const std::size_t length = histogram.counts_length();
    std::size_t index = 0;
    std::int64_t total = 0;
    std::size_t pos = 0;
    while (pos < payload.size()) {
        const std::int64_t word = get_zigzag(payload, pos);
        if (word < 0) {
            if (word <= std::numeric_limits<std::int32_t>::min())
                throw HdrDecodeError(fmt::format("HdrHistogram V2: zero run of {} is out of range", word));
            const auto run = static_cast<std::size_t>(-word);
            if (run > length - std::min(index, length))
                throw HdrDecodeError(fmt::format("HdrHistogram V2: zero run of {} at index {} passes counts length {}",
                                                 run, index, length));
            index += run;
            continue;
        }
        if (word > 0) {
            if (index >= length)
                throw HdrDecodeError(
                    fmt::format("HdrHistogram V2: count at index {} past counts length {}", index, length));
            if (word > std::numeric_limits<std::int64_t>::max() - total)
                throw HdrDecodeError("HdrHistogram V2: total count overflows int64");
            total += word;
            histogram.set_count_at_index(index, word);
        }
        ++index;
    }
}

// ---- zlib ------------------------------------------------------------------------------

// Inflates into caller-sized buffers so a small blob can never expand past what the header
// declared (zlib bombs stop at the first byte over).
class Inflater {
public:
    explicit Inflater(std::span<const std::uint8_t> in) {
        if (inflateInit(&zs_) != Z_OK) throw HdrDecodeError("HdrHistogram: zlib inflateInit failed");
        zs_.next_in = const_cast<Bytef*>(in.data());  // zlib's API is not const-correct
        zs_.avail_in = static_cast<uInt>(in.size());
    }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;
    ~Inflater() { inflateEnd(&zs_); }

    // Fills `out` completely or throws.
    void fill(std::span<std::uint8_t> out) {
        zs_.next_out = out.data();
        zs_.avail_out = static_cast<uInt>(out.size());
        while (zs_.avail_out > 0) {
            if (ended_) throw HdrDecodeError("HdrHistogram: zlib stream is shorter than the declared V2 length");
            step();
        }
    }

    // Requires the stream (with its Adler-32) to end here, without further output.
    void finish() {
        std::uint8_t probe = 0;
        zs_.next_out = &probe;
        zs_.avail_out = 1;
        while (!ended_) {
            step();
            if (zs_.avail_out == 0)
                throw HdrDecodeError("HdrHistogram: zlib stream is longer than the declared V2 length");
        }
    }

private:
    void step() {
        const int rc = inflate(&zs_, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            ended_ = true;
        } else if (rc == Z_BUF_ERROR) {
            throw HdrDecodeError("HdrHistogram: truncated zlib stream");
        } else if (rc != Z_OK) {
            throw HdrDecodeError(fmt::format("HdrHistogram: corrupt zlib stream ({})", zs_.msg ? zs_.msg : zError(rc)));
        }
    }

    z_stream zs_{};
    bool ended_ = false;
};

}  // namespace

std::vector<std::uint8_t> encode_v2(const Histogram& histogram) {
    std::vector<std::uint8_t> out;
    put_be(out, kHdrV2Cookie, 4);
    put_be(out, 0, 4);  // payload length, patched below
    put_be(out, 0, 4);  // normalizing index offset
    put_be(out, static_cast<std::uint32_t>(histogram.significant_digits()), 4);
    put_be(out, static_cast<std::uint64_t>(histogram.lowest_discernible()), 8);
    put_be(out, static_cast<std::uint64_t>(histogram.highest_trackable()), 8);
    put_be(out, std::bit_cast<std::uint64_t>(1.0), 8);  // integer-to-double conversion ratio

    const std::size_t limit = histogram.max_index() + 1;
    for (std::size_t i = 0; i < limit;) {
        const std::int64_t count = histogram.count_at_index(i++);
        std::int64_t zeros = 0;
        if (count == 0) {
            zeros = 1;
            while (i < limit && histogram.count_at_index(i) == 0) {
                ++zeros;
                ++i;
            }
        }
        put_zigzag(out, zeros > 1 ? -zeros : count);
    }
    const std::size_t payload = out.size() - kHdrV2HeaderSize;
    for (std::size_t b = 0; b < 4; ++b) out[4 + b] = static_cast<std::uint8_t>(payload >> (24 - 8 * b));
    return out;
}

std::vector<std::uint8_t> encode_compressed(const Histogram& histogram) {
    const std::vector<std::uint8_t> raw = encode_v2(histogram);
    uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
    std::vector<std::uint8_t> out(kCompressedPrefixSize + compressed_size);
    const int rc = compress2(out.data() + kCompressedPrefixSize, &compressed_size, raw.data(),
                             static_cast<uLong>(raw.size()), Z_DEFAULT_COMPRESSION);
    if (rc != Z_OK) throw std::runtime_error(fmt::format("HdrHistogram: zlib compress2 failed ({})", zError(rc)));
    out.resize(kCompressedPrefixSize + compressed_size);
    std::vector<std::uint8_t> prefix;
    put_be(prefix, kHdrV2CompressedCookie, 4);
    put_be(prefix, compressed_size, 4);
    std::copy(prefix.begin(), prefix.end(), out.begin());
    return out;
}

std::string encode_compressed_base64(const Histogram& histogram) {
    return base64_encode(encode_compressed(histogram));
}

Histogram decode_v2(std::span<const std::uint8_t> bytes) {
    const Header header = parse_header(bytes);
    const std::size_t available = bytes.size() - kHdrV2HeaderSize;
    if (header.payload_length > available)
        throw HdrDecodeError(fmt::format("HdrHistogram V2: truncated payload ({} of {} declared bytes)", available,
                                         header.payload_length));
    Histogram histogram = make_histogram(header);
    fill_counts(histogram, bytes.subspan(kHdrV2HeaderSize, header.payload_length));
    return histogram;
}

Histogram decode_compressed(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kCompressedPrefixSize)
        throw HdrDecodeError(fmt::format("HdrHistogram compressed: truncated prefix ({} of 8 bytes)", bytes.size()));
    const auto cookie = static_cast<std::uint32_t>(get_be(bytes, 0, 4));
    if (cookie != kHdrV2CompressedCookie) throw HdrDecodeError("HdrHistogram compressed: " + describe_cookie(cookie));
    const auto declared = static_cast<std::int32_t>(get_be(bytes, 4, 4));
    const std::size_t available = bytes.size() - kCompressedPrefixSize;
    if (declared < 0 || static_cast<std::size_t>(declared) > available)
        throw HdrDecodeError(
            fmt::format("HdrHistogram compressed: declared length {} but {} bytes follow", declared, available));

    Inflater inflater(bytes.subspan(kCompressedPrefixSize, static_cast<std::size_t>(declared)));
    std::vector<std::uint8_t> raw(kHdrV2HeaderSize);
    inflater.fill(raw);
    const Header header = parse_header(raw);
    Histogram histogram = make_histogram(header);
    const std::size_t bound =
        std::min(kMaxWordBytes * histogram.counts_length(), kMaxInflatedBytes - kHdrV2HeaderSize);
    if (header.payload_length > bound)
        throw HdrDecodeError(fmt::format("HdrHistogram V2: declared payload of {} bytes exceeds the {} a histogram "
                                         "with {} counts can need",
                                         header.payload_length, bound, histogram.counts_length()));
    raw.resize(kHdrV2HeaderSize + header.payload_length);
    inflater.fill(std::span(raw).subspan(kHdrV2HeaderSize));
    inflater.finish();
    fill_counts(histogram, std::span<const std::uint8_t>(raw).subspan(kHdrV2HeaderSize));
    return histogram;
}

Histogram decode_compressed_base64(std::string_view text) {
    std::vector<std::uint8_t> bytes;
    try {
        bytes = base64_decode(text);
    } catch (const std::invalid_argument& e) {
        throw HdrDecodeError(std::string("HdrHistogram ") + e.what());
    }
    return decode_compressed(bytes);
}

}  // namespace faultline
