#pragma once

#include "crypto/certificate.h"
#include "device/deviceerror.h"
#include "device/operationlock.h"
#include "device/servicetrust.h"

#include <QObject>
#include <QPointer>
#include <QUrl>

#include <memory>
#include <optional>

namespace imprint::device {

class ServiceClient;

struct EnrollmentOptions {
    QUrl url;                // https://host:port of the service
    TrustOptions trust;      // how to trust the service on first contact
    QByteArray buildSecret;  // never logged, only sent once TLS trust is established
    QString fingerprint;     // from fingerprint::computeFingerprint
    QString hostname;
    QString os;
    QString arch;
    QString storeDirectory;
};

struct EnrollmentResult {
    QString serverId;
    crypto::Certificate certificate;
    QString storeDirectory;
    ServiceTrust trust;
};

// Enrolls this device (PROTOCOL.md section 3, POST /api/v1/enroll): checks the service's
// identity first, then makes a fresh P-256 key and CSR, sends the request, checks the
// answer and switches the credential store to the new set atomically. Reports each step;
// cancel() at any point leaves the store as it was.
class Enrollment : public QObject {
    Q_OBJECT

public:
    enum class Step { CheckingService, GeneratingKey, CreatingRequest, Sending, Saving, Done };
    Q_ENUM(Step)

    explicit Enrollment(EnrollmentOptions options, QObject *parent = nullptr);
    ~Enrollment() override;

    void start();
    void cancel();
    bool isFinished() const { return m_result.has_value(); }
    const DeviceResult<EnrollmentResult> &result() const { return *m_result; }

signals:
    void stepChanged(imprint::device::Enrollment::Step step);
    void finished();

private:
    void lockStore(const ServiceTrust &trust);
    void send(const ServiceTrust &trust);
    void finish(DeviceResult<EnrollmentResult> result);

    EnrollmentOptions m_options;
    QPointer<TrustProbe> m_probe;
    QPointer<ServiceClient> m_client;
    std::unique_ptr<OperationLock> m_lock; // held from before the request until saved
    std::optional<DeviceResult<EnrollmentResult>> m_result;
};

QString stepText(Enrollment::Step step);

} // namespace imprint::device
