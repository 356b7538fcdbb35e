#pragma once
// Where tests find the source tree (golden data, examples), the build tree (binaries they
// launch) and the read-only shared/ references beside the checkout.
#include <filesystem>

namespace faultline::test {

std::filesystem::path source_dir();
std::filesystem::path binary_dir();
// Golden HdrHistogram vectors produced by hdr-histogram-js (copied from the shared specs
// into tests/data so the suite needs nothing outside the checkout).
std::filesystem::path hdr_golden_dir();

}  // namespace faultline::test
