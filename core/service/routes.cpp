#include "service/routes.h"

#include "common/logging.h"
#include "protocol/codec.h"
#include "protocol/endpoints.h"

namespace imprint::service {

namespace {

using protocol::ErrorKind;

HttpResponse json(int status, QByteArray body)
{
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    return response;
}

HttpResponse error(ErrorKind kind, const QString &message)
{
    return json(protocol::httpStatus(kind), protocol::encode(protocol::ErrorResponse{message}));
}

HttpResponse refused(const authority::Refusal &refusal)
{
    return error(refusal.kind, refusal.clientMessage);
}

HttpResponse methodNotAllowed(const char *allow)
{
    HttpResponse response = error(ErrorKind::MethodNotAllowed, QStringLiteral("method not allowed"));
    response.headers.append({QByteArrayLiteral("Allow"), QByteArray(allow)});
    return response;
}

// Adds what every response to a guarded request carries.
HttpResponse guarded(HttpResponse response, const authority::GuardedDevice &caller)
{
    response.serverId = caller.device.serverId;
    response.headers.append({QByteArray(protocol::kCertExpiresHeader.data(), protocol::kCertExpiresHeader.size()),
                             protocol::rfc3339(caller.certificate.notAfter()).toLatin1()});
    return response;
}

bool is(const QByteArray &target, QLatin1StringView path)
{
    return QLatin1StringView(target) == path;
}

} // namespace

QByteArray deviceJson(const storage::DeviceRecord &device)
{
    protocol::DeviceInfo info;
    info.serverId = device.serverId;
    info.fingerprint = device.fingerprint;
    info.hostname = device.hostname;
    info.os = device.os;
    info.arch = device.arch;
    info.status = storage::toString(device.status);
    info.serial = device.currentSerial;
    info.notAfter = protocol::rfc3339(device.currentNotAfter);
    info.enrolledAt = protocol::rfc3339(device.enrolledAt);
    info.renewedAt = protocol::rfc3339(device.renewedAt);
    return protocol::encode(info);
}

Routes::Routes(const authority::Authority &authority, RegistryPool &registries)
    : m_authority(authority), m_registries(registries)
{
}

HttpResponse Routes::handle(const HttpRequest &request) const
{
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";
    if (is(request.target, protocol::kHealthPath))
        return get ? json(200, QByteArrayLiteral("{\"status\":\"ok\"}")) : methodNotAllowed("GET, HEAD");

    enum class Route { Enroll, Renew, Challenge, Device } route;
    if (is(request.target, protocol::kEnrollPath))
        route = Route::Enroll;
    else if (is(request.target, protocol::kRenewPath))
        route = Route::Renew;
    else if (is(request.target, protocol::kChallengeRenewPath))
        route = Route::Challenge;
    else if (is(request.target, protocol::kDevicePath))
        route = Route::Device;
    else
        return error(ErrorKind::NotFound, QStringLiteral("not found"));
    if (route == Route::Device ? !get : !post)
        return methodNotAllowed(route == Route::Device ? "GET, HEAD" : "POST");

    auto registry = m_registries.forCurrentThread();
    if (!registry) {
        qCWarning(lcService).noquote() << "event=registry_unavailable detail=" + registry.errorMessage();
        return error(ErrorKind::Internal, QStringLiteral("internal error"));
    }
    authority::RequestContext context;
    context.remoteAddress = request.remoteAddress;
    if (request.peerCertificate)
        context.peerCertificate = *request.peerCertificate;

    switch (route) {
    case Route::Enroll: return enroll(request, *registry.value(), context);
    case Route::Renew: return renew(request, *registry.value(), context);
    case Route::Challenge: return challengeRenew(request, *registry.value(), context);
    case Route::Device: return device(*registry.value(), context);
    }
    return error(ErrorKind::Internal, QStringLiteral("internal error"));
}

HttpResponse Routes::enroll(const HttpRequest &request, storage::Registry &registry,
                            const authority::RequestContext &context) const
{
    auto decoded = protocol::decodeEnrollRequest(request.body);
    if (!decoded)
        return error(ErrorKind::BadRequest, decoded.errorMessage());
    auto outcome = m_authority.enroll(registry, decoded.value(), context);
    if (!outcome)
        return refused(outcome.refusal());
    HttpResponse response = json(200, protocol::encode(outcome.value()));
    response.serverId = outcome.value().serverId;
    return response;
}

HttpResponse Routes::renew(const HttpRequest &request, storage::Registry &registry,
                           const authority::RequestContext &context) const
{
    auto caller = m_authority.guard(registry, context);
    if (!caller)
        return refused(caller.refusal());
    auto decoded = protocol::decodeRenewRequest(request.body);
    if (!decoded)
        return guarded(error(ErrorKind::BadRequest, decoded.errorMessage()), caller.value());
    auto outcome = m_authority.renew(registry, decoded.value(), caller.value(), context);
    if (!outcome)
        return guarded(refused(outcome.refusal()), caller.value());
    return guarded(json(200, protocol::encode(outcome.value())), caller.value());
}

HttpResponse Routes::challengeRenew(const HttpRequest &request, storage::Registry &registry,
                                    const authority::RequestContext &context) const
{
    auto decoded = protocol::decodeChallengeRenewRequest(request.body);
    if (!decoded)
        return error(ErrorKind::BadRequest, decoded.errorMessage());
    auto outcome = m_authority.challengeRenew(registry, decoded.value(), context);
    if (!outcome)
        return refused(outcome.refusal());
    HttpResponse response = json(200, protocol::encode(outcome.value()));
    response.serverId = outcome.value().serverId;
    return response;
}

HttpResponse Routes::device(storage::Registry &registry, const authority::RequestContext &context) const
{
    auto caller = m_authority.guard(registry, context);
    if (!caller)
        return refused(caller.refusal());
    return guarded(json(200, deviceJson(caller.value().device)), caller.value());
}

} // namespace imprint::service
