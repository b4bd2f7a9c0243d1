#pragma once

#include "common/clock.h"
#include "device/deviceerror.h"
#include "device/enrollment.h"
#include "device/renewal.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <chrono>
#include <optional>

namespace imprint::device {

using namespace std::chrono_literals;

// The four outcomes of RenewOrReenroll (PROTOCOL.md section 6), named as in the protocol.
enum class RenewalAction { None, Renewed, ChallengeRenewed, Reenrolled };
QString actionName(RenewalAction action); // "none", "renewed", "challenge_renewed", "reenrolled"

struct RenewalPolicy {
    std::chrono::seconds threshold = 30 * 24h;
    std::chrono::seconds challengeWindow = 30 * 24h;
    bool force = false; // renew (tier 1) even when more than `threshold` is left
};

// The first step RenewOrReenroll takes for a store at `now`, before any network call.
enum class RenewalPlan { Enroll, Nothing, Renew, Challenge };
RenewalPlan planRenewal(const QString &storeDirectory, const QDateTime &now, const RenewalPolicy &policy);

// PROTOCOL.md section 6: decides with the injected clock and runs the tiers, falling
// through to the next on failure: tier 1 when the certificate is valid but close to
// expiry, tier 2 when it expired within the challenge window, and enrollment (tier 3,
// which needs the build secret in `enrollment`) when nothing else works. The error of the
// last tier tried is the result's error; attempts() lists every tier tried and why it failed.
class RenewOrReenroll : public QObject {
    Q_OBJECT

public:
    RenewOrReenroll(EnrollmentOptions enrollment, RenewalPolicy policy, const Clock &clock,
                    QObject *parent = nullptr);

    void start();
    void cancel();
    bool isFinished() const { return m_result.has_value(); }
    const DeviceResult<RenewalAction> &result() const { return *m_result; }
    const QStringList &attempts() const { return m_attempts; }

signals:
    void progress(const QString &message);
    void finished();

private:
    void renew(Renewal::Tier tier);
    void enroll();
    void finish(DeviceResult<RenewalAction> result);

    EnrollmentOptions m_enrollment;
    RenewalPolicy m_policy;
    const Clock &m_clock;
    QPointer<QObject> m_running;
    QStringList m_attempts;
    std::optional<DeviceResult<RenewalAction>> m_result;
};

} // namespace imprint::device
