#pragma once

#include "common/result.h"
#include "credentials.h"
#include "options.h"
#include "target.h"

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <vector>

namespace imprint::bench {

// Enrolls `options.devices` devices (fresh P-256 key each) before the clock starts, over
// up to `options.connections` parallel keep-alive connections, and builds each device's
// TLS context with its new identity. Any failure fails the whole preparation with the
// server's answer, since a run with half the devices would measure something else.
Result<std::vector<Device>> enrollDevices(const Options &options, const Target &target, const QList<crypto::Certificate> &cas,
                                          const std::shared_ptr<boost::asio::ssl::context> &anonymousTls);

} // namespace imprint::bench
