#pragma once
// The backend mode's HTTP API over a KvStore. Pure apart from the store (request parts in,
// Reply out), so unit tests cover it without a socket.
//
//   GET|HEAD /kv/KEY   200 with the value and its Content-Type; 404 {"error":...}
//   PUT      /kv/KEY   stores the body (Content-Type kept, default application/octet-stream); 204
//   DELETE   /kv/KEY   204; 404 when absent
//   other methods on /kv/KEY: 405 with Allow. KEY: 1-256 bytes of [A-Za-z0-9._~-], else 400
//   GET /health        200 "ok\n" (text/plain), never delayed or failed
//   anything else      404 {"error":...}
#include <string_view>

#include "examples/demo_target/kv_store.hpp"
#include "examples/demo_target/reply.hpp"

namespace faultline::demo {

// False for /health, which the backend answers without latency or injected errors.
bool faults_apply(std::string_view target) noexcept;

// `target` is the request-target (query string allowed and ignored).
Reply kv_answer(KvStore& store, std::string_view method, std::string_view target, std::string_view content_type,
                   std::string_view body);

// True for 1-256 bytes of [A-Za-z0-9._~-] (unreserved URL characters, so no decoding is needed).
bool valid_key(std::string_view key) noexcept;

}  // namespace faultline::demo
