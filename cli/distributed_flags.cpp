#include "cli/distributed_flags.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <fstream>
#include <openssl/evp.h>
#include <sstream>

#include "chaos/fault_calls.hpp"
#include "driver/shard_plan.hpp"
#include "scenarios/target_url.hpp"

namespace faultline {
namespace {

constexpr unsigned kMaxShards = 10000;

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Digits at s[pos, pos + n) as a number, or -1.
int digits_at(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size() || !all_digits(s.substr(pos, n))) return -1;
    int v = 0;
    std::from_chars(s.data() + pos, s.data() + pos + n, v);
    return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

unsigned days_in_month(int y, int m) {
    static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

// RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM).
std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
    const int y = digits_at(s, 0, 4), mo = digits_at(s, 5, 2), d = digits_at(s, 8, 2);
    const int h = digits_at(s, 11, 2), mi = digits_at(s, 14, 2), sec = digits_at(s, 17, 2);
    if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':') return std::nullopt;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
        return std::nullopt;
    if (static_cast<unsigned>(d) > days_in_month(y, mo)) return std::nullopt;
    std::size_t pos = 19;
    std::int64_t ms = 0;
    if (s[pos] == '.') {
        const std::size_t begin = ++pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
        if (pos == begin) return std::nullopt;
        for (std::size_t i = 0; i < 3; ++i) ms = ms * 10 + (begin + i < pos ? s[begin + i] - '0' : 0);
    }
    if (pos >= s.size()) return std::nullopt;
    std::int64_t offset_min = 0;
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        const int oh = digits_at(s, pos + 1, 2), om = digits_at(s, pos + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59 || pos + 3 >= s.size() || s[pos + 3] != ':') return std::nullopt;
        offset_min = (s[pos] == '-' ? -1 : 1) * (oh * 60 + om);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    const std::int64_t seconds = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                                 h * 3600 + mi * 60 + sec - offset_min * 60;
    return seconds * 1000 + ms;
}

Duration total_duration(const Scenario& s) {
    Duration total{0};
    for (const auto& st : s.load.stages) total += st.duration;
    return total;
}

bool uses_proxies(const ChaosSpec& c) {
    return !c.proxies.empty() || std::any_of(c.faults.begin(), c.faults.end(),
                                             [](const FaultDecl& f) { return f.kind != FaultDecl::Kind::service; });
}

void check_faults_only(const RunOptions& o, const Scenario& s, std::vector<std::string>& errors) {
    if (o.scenario_file.empty()) errors.push_back("--faults-only: needs a scenario file with `faults:`, not --url");
    if (o.no_faults) errors.push_back("--faults-only: cannot be combined with --no-faults");
    if (o.shard) errors.push_back("--faults-only: the fault process is not a shard; leave out --shard");
    if (!o.start_at) errors.push_back("--faults-only: needs --start-at, the instant the shards start at");
    if (!o.scenario_file.empty() && s.chaos.faults.empty()) errors.push_back("--faults-only: the scenario has no `faults:`");
    if (uses_proxies(s.chaos) && !s.chaos.toxiproxy_url)
        errors.push_back("--faults-only: the scenario's proxies must live on an external API the shards can reach: "
                         "set `toxiproxy:` in the scenario (to `faultline proxy` or Toxiproxy)");
    if (total_duration(s) <= Duration::zero())
        errors.push_back("--faults-only: the load needs a duration (stages or --duration), so this process knows when the run ends");
}

void check_shard_split(const Scenario& s, const RunSettings& settings, std::vector<std::string>& errors) {
    const ShardId shard = settings.shard;
    const auto threads = static_cast<std::uint64_t>(std::max(1, settings.threads));
    const auto label = fmt::format("{}/{}", shard.index, shard.count);
    if (s.load.model == LoadModel::open) {
        const auto connections = share(static_cast<std::uint64_t>(s.http.connections), shard.count, shard.index);
        if (connections < threads)
            errors.push_back(fmt::format("--shard: shard {} gets {} of the {} connections, fewer than --threads {}", label,
                                         connections, s.http.connections, threads));
    } else {
        int peak = std::max(0, s.load.start_vus);
        for (const auto& st : s.load.stages) peak = std::max(peak, st.vus);
        if (share(static_cast<std::uint64_t>(peak), shard.count, shard.index) == 0)
            errors.push_back(fmt::format("--shard: {} VUs cannot be split over {} shards (shard {} would get none)", peak,
                                         shard.count, label));
    }
    for (const auto& feed : s.data)
        if (!feed.random_order && !feed.rows.empty() && rows_per_shard(feed.rows.size(), shard) == 0)
            errors.push_back(fmt::format("--shard: data feed '{}' has {} rows, fewer than the {} shards; `sequential` order "
                                         "gives each shard rows of its own, so shard {} would have none",
                                         feed.name, feed.rows.size(), shard.count, label));
}

}  // namespace

Parsed<ShardId> parse_shard(std::string_view text) {
    Parsed<ShardId> out;
    const auto slash = text.find('/');
    const auto i = text.substr(0, slash == std::string_view::npos ? 0 : slash);
    const auto n = slash == std::string_view::npos ? std::string_view() : text.substr(slash + 1);
    unsigned index = 0, count = 0;
    if (!all_digits(i) || !all_digits(n) || i.size() > 6 || n.size() > 6) {
        out.error = fmt::format("--shard: '{}' is not I/N (e.g. 0/3 for the first of three shards)", text);
        return out;
    }
    std::from_chars(i.data(), i.data() + i.size(), index);
    std::from_chars(n.data(), n.data() + n.size(), count);
    if (count < 1 || count > kMaxShards) out.error = fmt::format("--shard: N must be 1..{}, got {}", kMaxShards, count);
    else if (index >= count) out.error = fmt::format("--shard: I is 0-based and below N: {}/{} has no shard {}", index, count, index);
    else out.value = ShardId{index, count};
    return out;
}

Parsed<std::int64_t> parse_start_at(std::string_view text) {
    Parsed<std::int64_t> out;
    if (all_digits(text) && text.size() <= 16) {
        std::int64_t ms = 0;
        std::from_chars(text.data(), text.data() + text.size(), ms);
        // 10 digits are seconds until the year 2286; ms have had 13 since 2001.
        if (text.size() <= 11)
            out.error = fmt::format("--start-at: '{}' looks like Unix seconds; give Unix milliseconds ({}000) or RFC 3339", text, text);
        else out.value = ms;
        return out;
    }
    if (auto ms = parse_rfc3339(text)) out.value = *ms;
    else out.error = fmt::format("--start-at: '{}' is neither RFC 3339 (e.g. 2026-11-27T10:00:00Z, "
                                 "2026-11-27T11:00:00.5+01:00) nor Unix milliseconds", text);
    return out;
}

void apply_distribution(const RunOptions& o, const Scenario& s, std::int64_t now_unix_ms, RunSettings& settings,
                        std::vector<std::string>& errors) {
    if (o.shard) {
        if (auto sh = parse_shard(*o.shard)) settings.shard = *sh;
        else errors.push_back(sh.error);
    }
    if (o.start_at) {
        if (auto at = parse_start_at(*o.start_at)) {
            settings.origin_unix_ms = *at;
            const auto warmup_ms = std::chrono::duration_cast<std::chrono::milliseconds>(s.load.warmup).count();
            const auto late_ms = now_unix_ms - (*at - warmup_ms);
            const auto max_late_ms = std::chrono::duration_cast<std::chrono::milliseconds>(kMaxStartLateness).count();
            if (late_ms > max_late_ms)
                errors.push_back(fmt::format("--start-at: {} is {:.3f} s in the past{} (at most {} ms late is accepted)",
                                             *o.start_at, static_cast<double>(late_ms) / 1000.0,
                                             warmup_ms > 0 ? " counting the warm-up" : "", max_late_ms));
        } else {
            errors.push_back(at.error);
        }
    }
    if (o.faults_only) check_faults_only(o, s, errors);
    if (settings.shard.count > 1 && !o.faults_only) {
        if (!s.chaos.empty() && !o.no_faults)
            errors.push_back("--shard: this scenario has proxies:/services:/faults:, which exactly one process must run: "
                             "give every shard --no-faults and run the chaos part with --faults-only (docs/distributed.md)");
        check_shard_split(s, settings, errors);
    }
}

std::vector<std::pair<std::string, std::string>> shard_proxy_addresses(const ChaosSpec& chaos,
                                                                       std::vector<std::string>& unresolved) {
    std::vector<std::pair<std::string, std::string>> out;
    if (!chaos.toxiproxy_url) return out;
    const auto url = parse_target_url(*chaos.toxiproxy_url);
    const std::string host = url ? url->host : std::string("127.0.0.1");
    for (const auto& p : chaos.proxies) {
        const auto colon = p.listen.rfind(':');
        if (colon == std::string::npos || p.listen.substr(colon + 1) == "0") {
            unresolved.push_back(p.name);
            continue;
        }
        out.emplace_back("proxies." + p.name + ".listen", chaos::connectable_listen(p.listen, host));
    }
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1) return {};
    std::string out;
    for (unsigned i = 0; i < size; ++i) out += fmt::format("{:02x}", digest[i]);
    return out;
}

std::string scenario_file_sha256(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return sha256_hex(ss.str());
}

std::string adhoc_sha256(const RunSpec& spec) {
    std::string text = "faultline adhoc\n" + spec.request.method + "\n" + spec.request.url.text + "\n";
    for (const auto& [name, value] : spec.request.headers) text += name + ": " + value + "\n";
    text += "\n" + spec.request.body;
    return sha256_hex(text);
}

}  // namespace faultline
