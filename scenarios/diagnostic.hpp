#pragma once
// One problem found in a scenario file (or a file it names), located for the user.
#include <string>

namespace faultline {

struct Diagnostic {
    std::string file;
    int line = 0;    // 1-based; 0 = the whole file (or a command-line value)
    int column = 0;  // 1-based; 0 = unknown
    std::string message;
};

// "FILE:LINE:COL: message", the form compilers use so editors can jump to it; without a
// line, "FILE: message".
std::string format(const Diagnostic& d);

}  // namespace faultline
