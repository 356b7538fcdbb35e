#pragma once
// Serialises a static request once; every send of it reuses the same bytes.
#include <string>

#include "scenarios/run_spec.hpp"

namespace faultline {

// HTTP/1.1 request bytes for spec. Adds Host, User-Agent, Accept and Content-Length (when
// there is a body or the method usually carries one) unless the user gave them.
std::string serialize_request(const RequestSpec& spec);

}  // namespace faultline
