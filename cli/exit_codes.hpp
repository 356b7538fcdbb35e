#pragma once
// faultline's exit codes (docs/cli.md). When several apply: 130 > 2 > 3 > 1 > 0.
namespace faultline::exit_code {
inline constexpr int ok = 0;
inline constexpr int threshold_failed = 1;
inline constexpr int bad_input = 2;
inline constexpr int setup_failed = 3;
inline constexpr int interrupted = 130;
}  // namespace faultline::exit_code
