#include "protocol/errors.h"

namespace imprint::protocol {

namespace {
constexpr ErrorKind kAllKinds[] = {
    ErrorKind::Pending,         ErrorKind::BadRequest,      ErrorKind::Unauthorized,
    ErrorKind::Forbidden,       ErrorKind::NotFound,        ErrorKind::MethodNotAllowed,
    ErrorKind::PayloadTooLarge, ErrorKind::HeadersTooLarge, ErrorKind::Internal,
};
} // namespace

int httpStatus(ErrorKind kind) noexcept
{
    switch (kind) {
    case ErrorKind::Pending: return 202;
    case ErrorKind::BadRequest: return 400;
    case ErrorKind::Unauthorized: return 401;
    case ErrorKind::Forbidden: return 403;
    case ErrorKind::NotFound: return 404;
    case ErrorKind::MethodNotAllowed: return 405;
    case ErrorKind::PayloadTooLarge: return 413;
    case ErrorKind::HeadersTooLarge: return 431;
    case ErrorKind::Internal: return 500;
    }
    return 500;
}

QLatin1StringView reasonPhrase(ErrorKind kind) noexcept
{
    switch (kind) {
    case ErrorKind::Pending: return QLatin1StringView("Accepted");
    case ErrorKind::BadRequest: return QLatin1StringView("Bad Request");
    case ErrorKind::Unauthorized: return QLatin1StringView("Unauthorized");
    case ErrorKind::Forbidden: return QLatin1StringView("Forbidden");
    case ErrorKind::NotFound: return QLatin1StringView("Not Found");
    case ErrorKind::MethodNotAllowed: return QLatin1StringView("Method Not Allowed");
    case ErrorKind::PayloadTooLarge: return QLatin1StringView("Payload Too Large");
    case ErrorKind::HeadersTooLarge: return QLatin1StringView("Request Header Fields Too Large");
    case ErrorKind::Internal: return QLatin1StringView("Internal Server Error");
    }
    return QLatin1StringView("Internal Server Error");
}

std::optional<ErrorKind> errorKindFromHttpStatus(int status) noexcept
{
    for (const ErrorKind kind : kAllKinds) {
        if (httpStatus(kind) == status)
            return kind;
    }
    return std::nullopt;
}

} // namespace imprint::protocol
