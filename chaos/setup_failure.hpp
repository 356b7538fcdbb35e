#pragma once
// The one exception the chaos runtime lets out of setup: something it had to start (the
// proxy engine, a proxy, a service) could not be started. The CLI maps it to exit code 3.
#include <stdexcept>

namespace faultline::chaos {

struct SetupFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace faultline::chaos
