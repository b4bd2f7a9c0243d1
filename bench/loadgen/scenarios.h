#pragma once

#include "credentials.h"
#include "options.h"
#include "runcontrol.h"
#include "stats.h"
#include "target.h"

#include "awaitable.h"
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace imprint::bench {

class IoThreads;

// A request body made before the clock: the encoded JSON and, for enrollment, where the
// 64 hex digits of the fingerprint go (each request writes its own there).
struct PreparedBody {
    std::string json;
    std::size_t fingerprintHexOffset = 0;
};

// Enrollment body for `csrPem`, with a placeholder fingerprint at fingerprintHexOffset.
PreparedBody prepareEnrollBody(const QByteArray &secret, const QByteArray &csrPem, const QString &hostname);
PreparedBody prepareRenewBody(const QByteArray &csrPem);
// Writes the 64 hex digits of `fingerprint` ("sha256:<hex>") into `body`.
void setFingerprint(std::string &body, std::size_t offset, const QByteArray &fingerprint);

// Everything the connections of one measured run share. Built before the clock starts;
// during the run only the atomics and each connection's own devices change.
struct ScenarioContext {
    const Options &options;
    const Target &target;
    RunControl &control;
    IoThreads &threads;
    std::shared_ptr<boost::asio::ssl::context> anonymousTls; // enroll: no client certificate
    std::vector<Device> &devices;                           // device scenarios
    const std::vector<KeyAndCsr> &pool;                     // renew: the keys behind the bodies
    const std::vector<PreparedBody> &bodies;                // enroll or renew, one per pool entry
    FingerprintSource fingerprints;
    std::atomic<std::size_t> poolNext{0};
};

// The devices connection `index` drives: its own (index, index + C, ...) when there are at
// least as many devices as connections, otherwise one shared device.
std::vector<int> devicesOfConnection(int index, int connections, int devices);

// The closed loop of connection `index` on threads.context(index % threads.size()).
// Reports connectionReady() once it can start (keep-alive scenarios: after connecting),
// waits for the gate, then sends requests until the RunControl says stop.
boost::asio::awaitable<void> runConnection(ScenarioContext &context, int index, Recorder &recorder);

} // namespace imprint::bench
