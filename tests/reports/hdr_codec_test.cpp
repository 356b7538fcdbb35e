#include "reports/hdr_codec.hpp"

#include <zlib.h>

#include <catch2/catch.hpp>

#include <bit>
#include <cstring>
#include <limits>
#include <random>

#include "reports/base64.hpp"

using namespace faultline;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

// ---- a reference encoder written straight from the spec (6.2), independent of ours ------

Bytes leb128_zigzag(std::int64_t n) {
    std::uint64_t u = (static_cast<std::uint64_t>(n) << 1) ^ (n < 0 ? ~std::uint64_t{0} : 0);
    Bytes out;
    for (int group = 0;; ++group) {
        if (group == 8) {  // 9th byte: the remaining 8 bits, no continuation flag
            out.push_back(static_cast<std::uint8_t>(u));
            break;
        }
        const auto low = static_cast<std::uint8_t>(u & 0x7F);
        u >>= 7;
        out.push_back(u == 0 ? low : static_cast<std::uint8_t>(low | 0x80));
        if (u == 0) break;
    }
    return out;
}

void append_be(Bytes& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

Bytes v2_blob(std::int64_t lowest, std::int64_t highest, std::int32_t digits, const std::vector<std::int64_t>& words,
              std::uint32_t cookie = kHdrV2Cookie) {
    Bytes payload;
    for (std::int64_t w : words) {
        const Bytes b = leb128_zigzag(w);
        payload.insert(payload.end(), b.begin(), b.end());
    }
    Bytes out;
    append_be(out, cookie, 4);
    append_be(out, payload.size(), 4);
    append_be(out, 1, 4);  // normalizing offset as hdr-histogram-js writes it: must be ignored
    append_be(out, static_cast<std::uint32_t>(digits), 4);
    append_be(out, static_cast<std::uint64_t>(lowest), 8);
    append_be(out, static_cast<std::uint64_t>(highest), 8);
    append_be(out, 1, 8);  // JS's integer-1 conversion ratio: must be ignored
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Bytes zlib_wrap(const Bytes& raw, std::uint32_t cookie = kHdrV2CompressedCookie) {
    uLongf size = compressBound(static_cast<uLong>(raw.size()));
    Bytes z(size);
    REQUIRE(compress(z.data(), &size, raw.data(), static_cast<uLong>(raw.size())) == Z_OK);
    z.resize(size);
    Bytes out;
    append_be(out, cookie, 4);
    append_be(out, z.size(), 4);
    out.insert(out.end(), z.begin(), z.end());
    return out;
}

// Java's rule: counts[0..last non-zero], lone zero as 0, runs of >= 2 zeros as -N.
std::vector<std::int64_t> canonical_words(const Histogram& h) {
    std::size_t last = 0;
    for (std::size_t i = 0; i < h.counts_length(); ++i)
        if (h.count_at_index(i) != 0) last = i;
    std::vector<std::int64_t> words;
    for (std::size_t i = 0; i <= last;) {
        std::size_t j = i;
        while (j <= last && h.count_at_index(j) == 0) ++j;
        if (j - i >= 2) {
            words.push_back(-static_cast<std::int64_t>(j - i));
            i = j;
        } else {
            words.push_back(h.count_at_index(i++));
        }
    }
    return words;
}

void require_same(const Histogram& a, const Histogram& b) {
    REQUIRE(a.lowest_discernible() == b.lowest_discernible());
    REQUIRE(a.highest_trackable() == b.highest_trackable());
    REQUIRE(a.significant_digits() == b.significant_digits());
    REQUIRE(a.counts_length() == b.counts_length());
    for (std::size_t i = 0; i < a.counts_length(); ++i)
        if (a.count_at_index(i) != b.count_at_index(i)) REQUIRE(a.count_at_index(i) == b.count_at_index(i));
    REQUIRE(a.total_count() == b.total_count());
    REQUIRE(a.min() == b.min());
    REQUIRE(a.max() == b.max());
}

std::vector<Histogram> sample_histograms() {
    std::vector<Histogram> out;
    out.push_back(Histogram::latency_us());
    Histogram zero = Histogram::latency_us();
    zero.record(0);
    out.push_back(zero);
    Histogram sparse = Histogram::latency_us();
    for (std::int64_t v : std::initializer_list<std::int64_t>{1, 3, 6, 2050, 50'000, 3'600'000'000})
        sparse.record(v, v % 7 + 1);
    out.push_back(sparse);
    std::mt19937_64 rng(99);
    Histogram dense = Histogram::latency_us();
    for (int i = 0; i < 20'000; ++i) dense.record(static_cast<std::int64_t>(rng() % 2'000'000));
    out.push_back(dense);
    Histogram coarse(1000, 60'000'000, 2);
    for (int i = 0; i < 3000; ++i) coarse.record(static_cast<std::int64_t>(rng() % 70'000'000));
    out.push_back(coarse);
    Histogram fine(1, 86'400'000'000, 5);
    for (int i = 0; i < 3000; ++i) fine.record(static_cast<std::int64_t>(rng() % 86'400'000'000), 1 + i % 3);
    out.push_back(fine);
    return out;
}

template <class F>
void require_decode_error(F&& decode, const std::string& what) {
    INFO(what);
    REQUIRE_THROWS_AS(decode(), HdrDecodeError);
}

}  // namespace

TEST_CASE("encode_v2 writes the V2 header: cookie, length, offset 0, S, L, H, double 1.0") {
    Histogram h(1000, 60'000'000, 2);
    h.record(123'456);
    const Bytes b = encode_v2(h);
    Bytes expected;
    append_be(expected, 0x1c849313, 4);
    append_be(expected, b.size() - 40, 4);
    append_be(expected, 0, 4);
    append_be(expected, 2, 4);
    append_be(expected, 1000, 8);
    append_be(expected, 60'000'000, 8);
    append_be(expected, 0x3FF0000000000000, 8);
    REQUIRE(b.size() > 40);
    CHECK(Bytes(b.begin(), b.begin() + 40) == expected);
}

TEST_CASE("the payload is the canonical Java/JS word sequence") {
    for (const Histogram& h : sample_histograms()) {
        Bytes expected;
        for (std::int64_t w : canonical_words(h)) {
            const Bytes word = leb128_zigzag(w);
            expected.insert(expected.end(), word.begin(), word.end());
        }
        const Bytes b = encode_v2(h);
        CHECK(Bytes(b.begin() + 40, b.end()) == expected);
    }
}

TEST_CASE("an empty histogram encodes as one 0 word") {
    const Bytes b = encode_v2(Histogram::latency_us());
    CHECK(Bytes(b.begin() + 40, b.end()) == leb128_zigzag(0));
}

TEST_CASE("counts of 2^56 and more use 9-byte LEB128 words and round-trip") {
    Histogram h = Histogram::latency_us();
    h.record(1, (std::int64_t{1} << 56) - 1);
    h.record(2, std::int64_t{1} << 56);
    h.record(5000, std::int64_t{1} << 62);
    h.record(7000, kInt64Max - h.total_count());
    REQUIRE(h.total_count() == kInt64Max);
    REQUIRE(leb128_zigzag(std::int64_t{1} << 56).size() == 9);
    const Bytes b = encode_v2(h);
    Bytes expected;
    for (std::int64_t w : canonical_words(h)) {
        const Bytes word = leb128_zigzag(w);
        expected.insert(expected.end(), word.begin(), word.end());
    }
    CHECK(Bytes(b.begin() + 40, b.end()) == expected);
    require_same(decode_v2(b), h);
    require_same(decode_compressed_base64(encode_compressed_base64(h)), h);
}

TEST_CASE("every sample histogram round-trips through all three forms") {
    for (const Histogram& h : sample_histograms()) {
        INFO("L " << h.lowest_discernible() << " total " << h.total_count());
        require_same(decode_v2(encode_v2(h)), h);
        require_same(decode_compressed(encode_compressed(h)), h);
        const std::string text = encode_compressed_base64(h);
        CHECK(text.rfind("HISTFAAA", 0) == 0);
        require_same(decode_compressed_base64(text), h);
        CHECK(decode_compressed_base64(text).value_at_percentile(99.9) == h.value_at_percentile(99.9));
    }
}

TEST_CASE("the decoder accepts C-style -1 runs, trailing zeros and ignores offsets 8 and 32") {
    const Histogram h = decode_v2(v2_blob(1, 3'600'000'000, 3, {-1, 5, -1, 7, 0, 0, -3, 0}));
    CHECK(h.count_at_index(1) == 5);
    CHECK(h.count_at_index(3) == 7);
    CHECK(h.total_count() == 12);
    CHECK(h.max() == h.highest_equivalent(h.value_at_index(3)));
    CHECK(h.min() == h.value_at_index(1));
    const Histogram empty_c = decode_compressed(zlib_wrap(v2_blob(1, 3'600'000'000, 3, {-1})));
    CHECK(empty_c.total_count() == 0);
    const Histogram no_payload = decode_v2(v2_blob(1, 1000, 1, {}));
    CHECK(no_payload.total_count() == 0);
    // A histogram wider than faultline's own config decodes with the header's config.
    const Histogram wide = decode_v2(v2_blob(1, kInt64Max, 3, {-50'000, 9}));
    CHECK(wide.highest_trackable() == kInt64Max);
    CHECK(wide.count_at_index(50'000) == 9);
}

TEST_CASE("truncated blobs throw HdrDecodeError at every length") {
    Histogram h = Histogram::latency_us();
    for (std::int64_t v : std::initializer_list<std::int64_t>{1, 1000, 100'000, 3'000'000'000})
        h.record(v, std::int64_t{1} << 40);
    const Bytes raw = encode_v2(h);
    const Bytes compressed = encode_compressed(h);
    for (std::size_t n = 0; n < raw.size(); ++n)
        require_decode_error([&] { return decode_v2(std::span(raw).first(n)); }, "raw prefix " + std::to_string(n));
    for (std::size_t n = 0; n < compressed.size(); ++n) {
        require_decode_error([&] { return decode_compressed(std::span(compressed).first(n)); },
                             "compressed prefix " + std::to_string(n));
        if (n < 8) continue;
        // Same prefix but with the declared length fixed up: now zlib itself must notice.
        Bytes fixed(compressed.begin(), compressed.begin() + static_cast<std::ptrdiff_t>(n));
        const auto len = static_cast<std::uint32_t>(n - 8);
        for (std::size_t i = 0; i < 4; ++i) fixed[4 + i] = static_cast<std::uint8_t>(len >> (24 - 8 * i));
        require_decode_error([&] { return decode_compressed(fixed); }, "fixed-up prefix " + std::to_string(n));
    }
    // The payload ends in the middle of a LEB128 word although the header says it is complete.
    Bytes cut = v2_blob(1, 1000, 2, {1 << 20});
    cut.pop_back();
    cut[7] = static_cast<std::uint8_t>(cut[7] - 1);
    require_decode_error([&] { return decode_v2(cut); }, "LEB128 word cut short");
}

TEST_CASE("wrong cookies are rejected with a message naming the cookie") {
    const Histogram h = Histogram::latency_us();
    const Bytes raw = encode_v2(h);
    const Bytes compressed = encode_compressed(h);
    require_decode_error([&] { return decode_v2(compressed); }, "compressed given to decode_v2");
    require_decode_error([&] { return decode_compressed(raw); }, "raw given to decode_compressed");
    for (std::uint32_t cookie : {0x1c849301u, 0x1c849308u, 0x1c849323u, 0x00000000u, 0xdeadbeefu}) {
        require_decode_error([&] { return decode_v2(v2_blob(1, 1000, 2, {0}, cookie)); }, "raw cookie");
        require_decode_error([&] { return decode_compressed(zlib_wrap(raw, cookie + 1)); }, "compressed cookie");
    }
    CHECK_THROWS_WITH(decode_v2(v2_blob(1, 1000, 2, {0}, 0x1c849301)),
                      Catch::Contains("0x1c849301") && Catch::Contains("only V2"));
}

TEST_CASE("absurd header configurations are rejected") {
    struct Config {
        std::int64_t lowest, highest;
        std::int32_t digits;
    };
    for (const Config c : {Config{0, 1000, 3}, Config{-1, 1000, 3}, Config{100, 199, 3}, Config{1, -5, 3},
                           Config{1, 1000, 0}, Config{1, 1000, 6}, Config{1, 1000, -3},
                           Config{1, 1000, std::numeric_limits<std::int32_t>::max()},
                           Config{std::int64_t{1} << 61, kInt64Max, 3}}) {
        INFO("L " << c.lowest << " H " << c.highest << " S " << c.digits);
        CHECK_THROWS_AS(decode_v2(v2_blob(c.lowest, c.highest, c.digits, {0})), HdrDecodeError);
        CHECK_THROWS_AS(decode_compressed(zlib_wrap(v2_blob(c.lowest, c.highest, c.digits, {0}))), HdrDecodeError);
    }
}

TEST_CASE("zero runs and counts past the counts length are rejected") {
    const std::int64_t length = static_cast<std::int64_t>(Histogram(1, 1000, 2).counts_length());
    const std::vector<std::vector<std::int64_t>> bad{
        {-(length + 1)},
        {-length, 1},
        {-(length - 1), 1, 1},
        {-(length / 2), -(length / 2), -(length / 2)},
        {std::numeric_limits<std::int32_t>::min()},
        {std::numeric_limits<std::int64_t>::min()},
        {kInt64Max, 1},
        {kInt64Max / 2, 0, kInt64Max / 2, 5},
    };
    for (const auto& words : bad) {
        INFO("first word " << words.front());
        CHECK_THROWS_AS(decode_v2(v2_blob(1, 1000, 2, words)), HdrDecodeError);
    }
    CHECK(decode_v2(v2_blob(1, 1000, 2, {-(length - 1), 4})).count_at_index(static_cast<std::size_t>(length - 1)) == 4);
    CHECK_NOTHROW(decode_v2(v2_blob(1, 1000, 2, {-length, 0, 0})));
}

TEST_CASE("inflation is bounded by what the header's config can need") {
    // Header says the payload is 2^31-1 bytes: rejected before inflating it.
    Bytes huge = v2_blob(1, 1000, 2, {0});
    for (int i = 4; i < 8; ++i) huge[static_cast<std::size_t>(i)] = i == 4 ? 0x7F : 0xFF;
    require_decode_error([&] { return decode_compressed(zlib_wrap(huge)); }, "declared 2 GiB payload");

    // Honest small header followed by 64 MiB of zeros: stops at the first extra byte.
    Bytes bomb = v2_blob(1, 1000, 2, {5});
    bomb.resize(bomb.size() + (std::size_t{64} << 20), 0);
    const Bytes wrapped = zlib_wrap(bomb);
    CHECK(wrapped.size() < 100'000);
    require_decode_error([&] { return decode_compressed(wrapped); }, "zlib bomb");

    // Stream shorter than the declared payload.
    Bytes short_stream = v2_blob(1, 1000, 2, {5, 6, 7});
    short_stream[7] = static_cast<std::uint8_t>(short_stream[7] + 2);
    require_decode_error([&] { return decode_compressed(zlib_wrap(short_stream)); }, "short stream");
}

TEST_CASE("corrupt zlib streams are rejected") {
    Histogram h = Histogram::latency_us();
    for (int v = 1; v < 5000; v += 7) h.record(v);
    const Bytes good = encode_compressed(h);
    Bytes bad_checksum = good;
    bad_checksum.back() ^= 0x01;
    require_decode_error([&] { return decode_compressed(bad_checksum); }, "adler-32");
    Bytes bad_header = good;
    bad_header[8] = 0x00;
    require_decode_error([&] { return decode_compressed(bad_header); }, "zlib header");
}

TEST_CASE("random corruption only ever throws HdrDecodeError") {
    std::mt19937_64 rng(4242);
    std::vector<Bytes> seeds;
    for (const Histogram& h : sample_histograms()) {
        if (h.counts_length() > 100'000) continue;  // keeps each decode cheap; same code paths
        seeds.push_back(encode_v2(h));
        seeds.push_back(encode_compressed(h));
    }
    int decoded = 0, rejected = 0;
    for (int round = 0; round < 4000; ++round) {
        Bytes b = seeds[rng() % seeds.size()];
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f) {
            // Bias toward the header and the first payload bytes, where structure lives.
            const std::size_t at = rng() % 2 ? rng() % std::min<std::size_t>(b.size(), 64) : rng() % b.size();
            b[at] = static_cast<std::uint8_t>(rng());
        }
        if (rng() % 4 == 0) b.resize(rng() % (b.size() + 1));
        try {
            const bool compressed = b.size() >= 4 && b[3] == 0x14;
            const Histogram h = compressed ? decode_compressed(b) : decode_v2(b);
            // Whatever decodes must be internally consistent.
            REQUIRE(h.value_at_percentile(100) == h.max());
            ++decoded;
        } catch (const HdrDecodeError&) {
            ++rejected;
        }
    }
    CHECK(rejected > 0);
    CHECK(decoded > 0);
}

TEST_CASE("base64 matches the RFC 4648 vectors") {
    const std::vector<std::pair<std::string, std::string>> vectors{
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        const Bytes bytes(plain.begin(), plain.end());
        CHECK(base64_encode(bytes) == encoded);
        CHECK(base64_decode(encoded) == bytes);
    }
    CHECK(base64_decode("Zm9vYg") == Bytes{'f', 'o', 'o', 'b'});
    CHECK(base64_encode(Bytes{0xFB, 0xFF}) == "+/8=");
}

TEST_CASE("base64 round-trips every byte value and length") {
    std::mt19937_64 rng(1);
    for (std::size_t n = 0; n < 70; ++n) {
        Bytes bytes(n);
        for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
        CHECK(base64_decode(base64_encode(bytes)) == bytes);
    }
}

TEST_CASE("bad base64 throws") {
    for (std::string_view bad :
         {"Z", "Zm9v!", "Zm 9v", "Zm9v\n", "Z===", "====", "Zg=a", "=Zg=", "Zm9vY", "Zg==Zg=="}) {
        INFO(bad);
        CHECK_THROWS_AS(base64_decode(bad), std::invalid_argument);
        CHECK_THROWS_AS(decode_compressed_base64(bad), HdrDecodeError);
    }
    // The last-but-one is a valid blob with its final two characters cut off.
    for (std::string_view garbage :
         {"", "HISTFAAA", "HISTFAAAAB54nJNpmSzMwMDACMXMDBAAYjNcm7yEAc4HAEvsA1", "AAAAAAAAAAAA"}) {
        INFO(garbage);
        CHECK_THROWS_AS(decode_compressed_base64(garbage), HdrDecodeError);
    }
}
