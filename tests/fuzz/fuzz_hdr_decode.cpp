// libFuzzer target: the HdrHistogram V2 decoders (reports/hdr_codec.hpp), which read result
// files and interval logs from anywhere. The first byte picks the form of the rest:
//   'b' base64 text of the compressed form, 'c' compressed binary, 'v' uncompressed V2
//   (any other byte: its value mod 3 in that order).
// Contract checked: only HdrDecodeError is thrown, and a decoded histogram survives
// encode -> decode unchanged (counts, total, min, max).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include "reports/hdr_codec.hpp"

namespace {

using faultline::Histogram;

Histogram decode(std::uint8_t form, std::span<const std::uint8_t> rest) {
    const int which = form == 'b' ? 0 : form == 'c' ? 1 : form == 'v' ? 2 : form % 3;
    if (which == 0) return faultline::decode_compressed_base64({reinterpret_cast<const char*>(rest.data()), rest.size()});
    if (which == 1) return faultline::decode_compressed(rest);
    return faultline::decode_v2(rest);
}

void check_same(const Histogram& a, const Histogram& b) {
    bool same = a.lowest_discernible() == b.lowest_discernible() && a.highest_trackable() == b.highest_trackable() &&
                a.significant_digits() == b.significant_digits() && a.total_count() == b.total_count() &&
                a.min() == b.min() && a.max() == b.max() && a.counts_length() == b.counts_length() &&
                a.max_index() == b.max_index();
    // Counts are never negative, so equal totals and equal counts up to max_index() mean the
    // rest is zero in both.
    for (std::size_t i = 0; same && i <= a.max_index(); ++i) same = a.count_at_index(i) == b.count_at_index(i);
    if (!same) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    try {
        const Histogram h = decode(data[0], {data + 1, size - 1});
        // The statistics walk every count; they must stay defined for any decoded content.
        (void)h.mean();
        (void)h.stddev();
        (void)h.value_at_percentile(50.0);
        (void)h.value_at_percentile(99.9);
        check_same(h, faultline::decode_v2(faultline::encode_v2(h)));
        check_same(h, faultline::decode_compressed_base64(faultline::encode_compressed_base64(h)));
    } catch (const faultline::HdrDecodeError&) {
        // Malformed input: the one expected outcome besides a histogram.
    }
    return 0;
}
