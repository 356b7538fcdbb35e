#include "tests/support/paths.hpp"

namespace faultline::test {

std::filesystem::path source_dir() { return FAULTLINE_SOURCE_DIR; }
std::filesystem::path binary_dir() { return FAULTLINE_BINARY_DIR; }
std::filesystem::path hdr_golden_dir() {
    return source_dir() / "tests" / "data" / "hdr-golden";
}

}  // namespace faultline::test
