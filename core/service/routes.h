#pragma once

#include "authority/authority.h"
#include "service/httpsserver.h"
#include "service/registrypool.h"

namespace imprint::service {

// Maps HTTP requests onto the authority: decode, dispatch, encode. Runs on the transport's
// worker threads; each thread works on its own registry connection from the pool.
class Routes {
public:
    Routes(const authority::Authority &authority, RegistryPool &registries);

    HttpResponse handle(const HttpRequest &request) const;

private:
    HttpResponse enroll(const HttpRequest &request, storage::Registry &registry,
                        const authority::RequestContext &context) const;
    HttpResponse renew(const HttpRequest &request, storage::Registry &registry,
                       const authority::RequestContext &context) const;
    HttpResponse challengeRenew(const HttpRequest &request, storage::Registry &registry,
                                const authority::RequestContext &context) const;
    HttpResponse device(storage::Registry &registry, const authority::RequestContext &context) const;

    const authority::Authority &m_authority;
    RegistryPool &m_registries;
};

// The JSON of GET /api/v1/device: what the service knows about the calling device.
QByteArray deviceJson(const storage::DeviceRecord &device);

} // namespace imprint::service
