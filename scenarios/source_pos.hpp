#pragma once
#include <string>

namespace faultline {

// Where something was written in a scenario file.
struct SourcePos {
    std::string file;
    int line = 0;    // 1-based; 0 = unknown
    int column = 0;  // 1-based
};

}  // namespace faultline
