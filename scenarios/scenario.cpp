#include "scenarios/scenario.hpp"

#include <algorithm>

namespace faultline {

bool HttpStep::needs_body() const noexcept {
    return expect.needs_body() || std::any_of(extract.begin(), extract.end(), [](const Extraction& e) {
               return e.from != Extraction::From::header;
           });
}

}  // namespace faultline
