#pragma once

#include <QLatin1StringView>

#include <optional>

namespace imprint::protocol {

// The outcomes other than 200 that the service answers and the device interprets.
enum class ErrorKind {
    Pending,          // 202: approval mode, the device is stored and must retry later
    BadRequest,       // 400: malformed body, missing field, bad CSR
    Unauthorized,     // 401: unknown build secret, bad or missing client certificate
    Forbidden,        // 403
    NotFound,         // 404
    MethodNotAllowed, // 405
    PayloadTooLarge,  // 413: body over kMaxBodyBytes
    HeadersTooLarge,  // 431
    Internal,         // 500
};

int httpStatus(ErrorKind kind) noexcept;

// The standard HTTP reason phrase of httpStatus(kind), e.g. "Bad Request".
QLatin1StringView reasonPhrase(ErrorKind kind) noexcept;

// The kind a status code maps to; nullopt for 200 and for codes outside this list.
std::optional<ErrorKind> errorKindFromHttpStatus(int status) noexcept;

} // namespace imprint::protocol
