#pragma once
// In-memory certificates for --tls: a fresh self-signed CA and a server certificate it
// signs for localhost, 127.0.0.1 and ::1. EC P-256 keys, SHA-256 signatures, valid from an
// hour ago for 30 days. Nothing touches the disk; the caller writes the CA PEM for clients.
#include <string>

namespace faultline::demo {

struct DemoCertificates {
    std::string ca_cert_pem;
    std::string server_cert_pem;
    std::string server_key_pem;  // unencrypted PKCS#8
};

// Throws std::runtime_error (with OpenSSL's error text) if OpenSSL fails.
DemoCertificates generate_demo_certificates();

}  // namespace faultline::demo
