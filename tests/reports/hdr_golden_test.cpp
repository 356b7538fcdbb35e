// Golden vectors from hdr-histogram-js 3.0.1 (tests/data/hdr-golden/README.md): decode
// theirs, encode ours byte-identically (uncompressed), and read their interval log.
#include <zlib.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "reports/base64.hpp"
#include "reports/hdr_codec.hpp"
#include "tests/support/paths.hpp"

using namespace faultline;
namespace json = boost::json;
using Bytes = std::vector<std::uint8_t>;

namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

json::value load_json(const std::filesystem::path& path) { return json::parse(read_text(path)); }

std::int64_t as_int(const json::value& v) { return v.to_number<std::int64_t>(); }

Bytes from_hex(std::string_view hex) {
    REQUIRE(hex.size() % 2 == 0);
    Bytes out(hex.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto [ptr, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, out[i], 16);
        REQUIRE(ec == std::errc{});
    }
    return out;
}

// Plain zlib, independent of our decoder: the compressed form's 40-byte header + payload.
Bytes inflate_compressed(const Bytes& compressed, std::size_t max_size) {
    REQUIRE(compressed.size() >= 8);
    REQUIRE(compressed[3] == 0x14);
    Bytes out(max_size);
    uLongf size = static_cast<uLongf>(out.size());
    REQUIRE(uncompress(out.data(), &size, compressed.data() + 8, static_cast<uLong>(compressed.size() - 8)) == Z_OK);
    out.resize(size);
    return out;
}

Histogram from_params(const json::object& params) {
    return Histogram(as_int(params.at("lowestDiscernibleValue")), as_int(params.at("highestTrackableValue")),
                     static_cast<int>(as_int(params.at("numberOfSignificantValueDigits"))));
}

Histogram record_pairs(const json::object& params, const json::array& recorded) {
    Histogram h = from_params(params);
    for (const json::value& pair : recorded) h.record(as_int(pair.at(0)), as_int(pair.at(1)));
    return h;
}

void check_percentiles(const Histogram& h, const json::value& pairs) {
    for (const json::value& pair : pairs.as_array()) {
        const double p = pair.at(0).to_number<double>();
        INFO("percentile " << p);
        CHECK(h.value_at_percentile(p) == as_int(pair.at(1)));
    }
}

// Stats as hdr-histogram-js reported them. An empty histogram has null min/max: ours are 0.
void check_stats(const Histogram& h, const json::object& expected) {
    CHECK(h.total_count() == as_int(expected.at("totalCount")));
    CHECK(h.min() == (expected.at("min").is_null() ? 0 : as_int(expected.at("min"))));
    CHECK(h.max() == (expected.at("max").is_null() ? 0 : as_int(expected.at("max"))));
    if (expected.at("min").is_null()) CHECK(h.total_count() == 0);
    CHECK(h.mean() == expected.at("mean").to_number<double>());
    if (const auto* sd = expected.if_contains("stdDeviation"))
        CHECK(h.stddev() == Approx(sd->to_number<double>()).epsilon(1e-9).margin(1e-12));
    check_percentiles(h, expected.at("valueAtPercentile"));
    if (const auto* extra = expected.if_contains("valueAtPercentileExtra")) check_percentiles(h, *extra);
}

void check_counts(const Histogram& h, const json::array& counts_by_index) {
    std::map<std::size_t, std::int64_t> expected;
    for (const json::value& pair : counts_by_index)
        expected[static_cast<std::size_t>(as_int(pair.at(0)))] = as_int(pair.at(1));
    REQUIRE(h.counts_length() > (expected.empty() ? 0 : expected.rbegin()->first));
    for (std::size_t i = 0; i < h.counts_length(); ++i) {
        const auto it = expected.find(i);
        const std::int64_t want = it == expected.end() ? 0 : it->second;
        if (h.count_at_index(i) != want) {
            INFO("index " << i);
            REQUIRE(h.count_at_index(i) == want);
        }
    }
}

// Our uncompressed encoding against theirs: payload byte-identical, header identical except
// offsets 8-11 (normalizing offset) and 32-39 (conversion ratio), which JS writes as 1.
void check_same_encoding(const Bytes& ours, const Bytes& theirs) {
    REQUIRE(ours.size() == theirs.size());
    CHECK(std::equal(ours.begin(), ours.begin() + 8, theirs.begin()));
    CHECK(std::equal(ours.begin() + 12, ours.begin() + 32, theirs.begin() + 12));
    CHECK(Bytes(ours.begin() + 40, ours.end()) == Bytes(theirs.begin() + 40, theirs.end()));
}

std::vector<std::filesystem::path> golden_histogram_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(test::hdr_golden_dir())) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("h0") && name.ends_with(".json")) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("golden histograms decode to hdr-histogram-js's counts and statistics") {
    const auto files = golden_histogram_files();
    REQUIRE(files.size() == 8);
    for (const auto& file : files) {
        INFO(file.filename().string());
        const json::object golden = load_json(file).as_object();
        const json::object& params = golden.at("params").as_object();
        const Histogram h = decode_compressed_base64(golden.at("compressed_base64").as_string());
        CHECK(h.significant_digits() == as_int(params.at("numberOfSignificantValueDigits")));
        CHECK(h.lowest_discernible() == as_int(params.at("lowestDiscernibleValue")));
        CHECK(h.highest_trackable() == as_int(params.at("highestTrackableValue")));
        CHECK(static_cast<std::int64_t>(h.counts_length()) == as_int(golden.at("layout").at("countsArrayLength")));
        check_counts(h, golden.at("counts_by_index").as_array());
        check_stats(h, golden.at("expected").as_object());
        // Their uncompressed form decodes to the same histogram.
        const Histogram from_raw = decode_v2(from_hex(golden.at("uncompressed_v2_hex").as_string()));
        check_counts(from_raw, golden.at("counts_by_index").as_array());
    }
}

TEST_CASE("histograms we build from the golden recordings encode like hdr-histogram-js") {
    for (const auto& file : golden_histogram_files()) {
        INFO(file.filename().string());
        const json::object golden = load_json(file).as_object();
        const json::object& params = golden.at("params").as_object();
        const json::object& expected = golden.at("expected").as_object();
        const Histogram ours = record_pairs(params, golden.at("recorded").as_array());
        check_stats(ours, expected);
        check_counts(ours, golden.at("counts_by_index").as_array());

        const Bytes compressed = encode_compressed(ours);
        const Histogram decoded = decode_compressed(compressed);
        check_stats(decoded, expected);
        check_counts(decoded, golden.at("counts_by_index").as_array());
        check_stats(decode_compressed_base64(encode_compressed_base64(ours)), expected);

        const Bytes theirs = from_hex(golden.at("uncompressed_v2_hex").as_string());
        const Bytes inflated = inflate_compressed(compressed, 40 + 9 * ours.counts_length());
        CHECK(inflated == encode_v2(ours));
        check_same_encoding(inflated, theirs);
        // Decoding theirs and re-encoding gives the canonical bytes too.
        check_same_encoding(encode_v2(decode_compressed_base64(golden.at("compressed_base64").as_string())), theirs);
    }
}

namespace {

struct LogLine {
    std::string tag;  // empty when untagged
    double start = 0, length = 0;
    std::string base64;
};

double parse_double(std::string_view text) {
    double v = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    REQUIRE(ec == std::errc{});
    REQUIRE(ptr == text.data() + text.size());
    return v;
}

// Minimal reader for the golden file only (spec 6.4): comments, legend, blank lines skipped.
std::vector<LogLine> read_hlog(const std::string& text, double& start_time) {
    std::vector<LogLine> lines;
    std::istringstream in(text);
    std::string line;
    constexpr std::string_view kStart = "#[StartTime: ";
    while (std::getline(in, line)) {
        if (line.starts_with(kStart)) {
            const std::string rest = line.substr(kStart.size());
            start_time = parse_double(rest.substr(0, rest.find(' ')));
        }
        if (line.empty() || line.starts_with('#') || line.starts_with("\"StartTimestamp\"")) continue;
        LogLine entry;
        std::string_view view = line;
        if (view.starts_with("Tag=")) {
            entry.tag = std::string(view.substr(4, view.find(',') - 4));
            view.remove_prefix(view.find(',') + 1);
        }
        std::vector<std::string_view> fields;
        for (std::size_t comma; (comma = view.find(',')) != std::string_view::npos; view.remove_prefix(comma + 1))
            fields.push_back(view.substr(0, comma));
        fields.push_back(view);
        REQUIRE(fields.size() == 4);
        entry.start = parse_double(fields[0]);
        entry.length = parse_double(fields[1]);
        entry.base64 = std::string(fields[3]);
        lines.push_back(entry);
    }
    return lines;
}

}  // namespace

TEST_CASE("the golden interval log decodes to what HistogramLogReader read") {
    const std::filesystem::path dir = test::hdr_golden_dir();
    const json::object golden = load_json(dir / "golden.hlog.json").as_object();
    const json::object& params = golden.at("histogram_params").as_object();
    const json::array& intervals = golden.at("intervals").as_array();
    double start_time = -1;
    const std::vector<LogLine> lines = read_hlog(read_text(dir / "golden.hlog"), start_time);
    CHECK(start_time == golden.at("start_time_sec").to_number<double>());
    REQUIRE(lines.size() == intervals.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const json::object& want = intervals[i].as_object();
        const LogLine& line = lines[i];
        INFO("interval line " << want.at("line").to_number<int>());
        CHECK(line.tag == (want.at("tag").is_null() ? "" : std::string(want.at("tag").as_string())));
        CHECK(start_time + line.start == Approx(want.at("start_sec").to_number<double>()).margin(1e-6));
        CHECK(line.length == want.at("length_sec").to_number<double>());

        const Histogram h = decode_compressed_base64(line.base64);
        CHECK(h.lowest_discernible() == as_int(params.at("lowestDiscernibleValue")));
        CHECK(h.highest_trackable() == as_int(params.at("highestTrackableValue")));
        check_stats(h, want);

        // Our encoding of the same recordings matches theirs byte for byte (uncompressed).
        const Histogram ours = record_pairs(params, want.at("recorded").as_array());
        check_stats(ours, want);
        const Bytes theirs = inflate_compressed(base64_decode(line.base64), 40 + 9 * h.counts_length());
        check_same_encoding(encode_v2(ours), theirs);
    }
}
