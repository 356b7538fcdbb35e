#pragma once
// The flags of a run spread over several processes (docs/distributed.md): --shard,
// --start-at, --faults-only, --no-faults. Pure apart from reading the scenario file for its
// hash.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/run_options.hpp"
#include "common/units.hpp"
#include "driver/driver.hpp"
#include "scenarios/run_spec.hpp"
#include "scenarios/scenario.hpp"

namespace faultline {

// --shard "I/N" (0 <= I < N <= 10000); the error names the flag.
Parsed<ShardId> parse_shard(std::string_view text);

// --start-at: RFC 3339 ("2026-11-27T10:00:00Z", "2026-11-27T11:00:00.250+01:00"; a space or
// `t` for `T`, `z` for `Z`) or Unix milliseconds ("1795773600000"), as Unix ms. Fractions
// below a millisecond are dropped. The error names the flag.
Parsed<std::int64_t> parse_start_at(std::string_view text);

// Checks the distributed-run flags against the scenario and puts them into settings
// (settings.threads must be set already). `now_unix_ms` judges a --start-at in the past.
// Problems are appended, each naming its flag.
void apply_distribution(const RunOptions& options, const Scenario& scenario, std::int64_t now_unix_ms,
                        RunSettings& settings, std::vector<std::string>& errors);

// --no-faults with `toxiproxy:`: {{proxies.NAME.listen}} as the fault process creates them,
// the declared `listen` with a wildcard host replaced by the API's host. Proxies declared on
// port 0 are left out (they render as declared); their names go to `unresolved`.
std::vector<std::pair<std::string, std::string>> shard_proxy_addresses(const ChaosSpec& chaos,
                                                                       std::vector<std::string>& unresolved);

// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);
// Of a scenario file's bytes; empty when it cannot be read.
std::string scenario_file_sha256(const std::filesystem::path& file);
// Of what an ad-hoc --url run sends: method, URL, headers and body.
std::string adhoc_sha256(const RunSpec& spec);

}  // namespace faultline
