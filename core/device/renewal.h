#pragma once

#include "crypto/certificate.h"
#include "device/deviceerror.h"
#include "device/operationlock.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>
#include <optional>

namespace imprint::device {

class ServiceClient;

// A renewal with the stored credentials (PROTOCOL.md sections 3 and 6), trusting only the
// stored CA: tier 1 (POST /api/v1/renew over mutual TLS with the current certificate) or
// tier 2 (POST /api/v1/renew/challenge with the expired certificate and a proof signed by
// its key). Either way a fresh P-256 key and CSR, and an atomic switch of the store.
class Renewal : public QObject {
    Q_OBJECT

public:
    enum class Tier { Renew, Challenge };

    struct Options {
        QUrl url;
        QString storeDirectory;
        Tier tier = Tier::Renew;
        QString fingerprint; // tier 2 only: this machine's fingerprint now
    };

    explicit Renewal(Options options, QObject *parent = nullptr);

    void start();
    void cancel();
    bool isFinished() const { return m_result.has_value(); }
    // The new certificate on success.
    const DeviceResult<crypto::Certificate> &result() const { return *m_result; }

signals:
    void finished();

private:
    void send();
    void finish(DeviceResult<crypto::Certificate> result);

    Options m_options;
    QPointer<ServiceClient> m_client;
    std::unique_ptr<OperationLock> m_lock; // held from reading the store until saved
    std::optional<DeviceResult<crypto::Certificate>> m_result;
};

} // namespace imprint::device
