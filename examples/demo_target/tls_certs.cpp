#include "examples/demo_target/tls_certs.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>

namespace faultline::demo {

namespace {

template <auto Free>
struct Deleter {
    template <class T>
    void operator()(T* p) const noexcept { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

[[noreturn]] void fail(const char* what) {
    std::string message = std::string("TLS certificate generation: ") + what;
    if (const unsigned long code = ERR_get_error(); code != 0) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        message += ": ";
        message += text;
    }
    ERR_clear_error();
    throw std::runtime_error(message);
}

void check(int ok, const char* what) {
    if (ok != 1) fail(what);
}

PkeyPtr make_p256_key() {
    PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) fail("EC P-256 key generation");
    return key;
}

void set_random_serial(X509* cert) {
    BnPtr serial(BN_new());
    if (!serial) fail("BN_new");
    // 127 random bits keep the serial positive and unique enough for a throwaway CA.
    check(BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "serial number");
    if (!BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert))) fail("serial number");
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext) fail(value);
    check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

// A certificate for `key` named `common_name`, not yet extended or signed.
X509Ptr make_certificate(EVP_PKEY* key, const char* common_name) {
    X509Ptr cert(X509_new());
    if (!cert) fail("X509_new");
    check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");
    set_random_serial(cert.get());
    constexpr long kHour = 3600;
    if (!X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kHour)) fail("notBefore");
    if (!X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30 * 24 * kHour)) fail("notAfter");
    check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("faultline"), -1, -1, 0),
          "subject O");
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0),
          "subject CN");
    return cert;
}

std::string to_pem(const auto& write) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio) fail("BIO_new");
    check(write(bio.get()), "PEM encoding");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace

DemoCertificates generate_demo_certificates() {
    const PkeyPtr ca_key = make_p256_key();
    const X509Ptr ca = make_certificate(ca_key.get(), "faultline demo CA");
    check(X509_set_issuer_name(ca.get(), X509_get_subject_name(ca.get())), "CA issuer");
    add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
    add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
    add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
    if (X509_sign(ca.get(), ca_key.get(), EVP_sha256()) <= 0) fail("signing the CA");

    const PkeyPtr server_key = make_p256_key();
    const X509Ptr server = make_certificate(server_key.get(), "localhost");
    check(X509_set_issuer_name(server.get(), X509_get_subject_name(ca.get())), "server issuer");
    add_extension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
    add_extension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
    add_extension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
    add_extension(server.get(), ca.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
    add_extension(server.get(), ca.get(), NID_subject_key_identifier, "hash");
    add_extension(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
    if (X509_sign(server.get(), ca_key.get(), EVP_sha256()) <= 0) fail("signing the server certificate");

    return DemoCertificates{
        .ca_cert_pem = to_pem([&](BIO* bio) { return PEM_write_bio_X509(bio, ca.get()); }),
        .server_cert_pem = to_pem([&](BIO* bio) { return PEM_write_bio_X509(bio, server.get()); }),
        .server_key_pem = to_pem([&](BIO* bio) {
            return PEM_write_bio_PrivateKey(bio, server_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
        }),
    };
}

}  // namespace faultline::demo
