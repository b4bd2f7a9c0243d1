#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <QString>

#include <memory>

namespace imprint::crypto {

// Frees an OpenSSL object with its own free function; null is a no-op.
template <auto FreeFunction>
struct OpensslDeleter {
    template <typename T>
    void operator()(T *object) const noexcept
    {
        if (object)
            FreeFunction(object);
    }
};

using PKeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<&EVP_PKEY_free>>;
using PKeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpensslDeleter<&EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpensslDeleter<&EVP_MD_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<&X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OpensslDeleter<&X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpensslDeleter<&X509_NAME_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpensslDeleter<&X509_EXTENSION_free>>;
using BioPtr = std::unique_ptr<BIO, OpensslDeleter<&BIO_free_all>>;
using BigNumPtr = std::unique_ptr<BIGNUM, OpensslDeleter<&BN_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpensslDeleter<&ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, OpensslDeleter<&ASN1_TIME_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpensslDeleter<&GENERAL_NAMES_free>>;
using EncoderCtxPtr = std::unique_ptr<OSSL_ENCODER_CTX, OpensslDeleter<&OSSL_ENCODER_CTX_free>>;
using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, OpensslDeleter<&OSSL_DECODER_CTX_free>>;

// STACK_OF(X509) owning its certificates.
struct StackOfX509Deleter {
    void operator()(STACK_OF(X509) * stack) const noexcept
    {
        if (stack)
            sk_X509_pop_free(stack, X509_free);
    }
};
using StackOfX509Ptr = std::unique_ptr<STACK_OF(X509), StackOfX509Deleter>;

// Drains this thread's OpenSSL error queue into one readable line
// ("PEM routines: no start line; ..."), leaving the queue empty. Empty when the queue was.
QString opensslErrorString();

// `message`, followed by ": <OpenSSL errors>" when the queue holds any (drained either way).
QString withOpensslError(const QString &message);

} // namespace imprint::crypto
