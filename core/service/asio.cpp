// The compiled part of Boost.Asio (incl. asio::ssl) for imprint-core, built once here
// (BOOST_ASIO_SEPARATE_COMPILATION, see CMakeLists.txt) instead of inline in every file.
//
// Boost 1.74's asio/ssl/impl/context.ipp refers to RSA and DH functions that OpenSSL 3
// only declares without OPENSSL_NO_DEPRECATED (context::use_rsa_private_key and
// use_tmp_dh, which Imprint never calls), so only this file, which contains no code of ours,
// is compiled with the deprecated declarations visible. The rest of core/service keeps
// OPENSSL_NO_DEPRECATED.
#undef OPENSSL_NO_DEPRECATED

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
