#include "device/renewalpolicy.h"

#include "common/logging.h"
#include "device/credentialstore.h"
#include "device/inspection.h"
#include "device/renewal.h"

#include <QFile>

namespace imprint::device {

QString actionName(RenewalAction action)
{
    switch (action) {
    case RenewalAction::None: return QStringLiteral("none");
    case RenewalAction::Renewed: return QStringLiteral("renewed");
    case RenewalAction::ChallengeRenewed: return QStringLiteral("challenge_renewed");
    case RenewalAction::Reenrolled: return QStringLiteral("reenrolled");
    }
    return {};
}

RenewalPlan planRenewal(const QString &storeDirectory, const QDateTime &now, const RenewalPolicy &policy)
{
    auto status = inspect(CredentialStore(storeDirectory), now, policy.threshold, policy.challengeWindow);
    if (!status)
        return RenewalPlan::Enroll;
    switch (status->state) {
    case CredentialStatus::State::Valid: return policy.force ? RenewalPlan::Renew : RenewalPlan::Nothing;
    case CredentialStatus::State::RenewalDue: return RenewalPlan::Renew;
    case CredentialStatus::State::ExpiredInWindow: return RenewalPlan::Challenge;
    case CredentialStatus::State::ExpiredBeyondWindow:
    case CredentialStatus::State::NotEnrolled:
    case CredentialStatus::State::Unreadable: return RenewalPlan::Enroll;
    }
    return RenewalPlan::Enroll;
}

RenewOrReenroll::RenewOrReenroll(EnrollmentOptions enrollment, RenewalPolicy policy, const Clock &clock,
                                 QObject *parent)
    : QObject(parent), m_enrollment(std::move(enrollment)), m_policy(policy), m_clock(clock)
{
}

void RenewOrReenroll::start()
{
    switch (planRenewal(m_enrollment.storeDirectory, m_clock.now(), m_policy)) {
    case RenewalPlan::Nothing: finish(RenewalAction::None); return;
    case RenewalPlan::Renew: renew(Renewal::Tier::Renew); return;
    case RenewalPlan::Challenge: renew(Renewal::Tier::Challenge); return;
    case RenewalPlan::Enroll:
        m_attempts << QStringLiteral("no usable credentials in %1").arg(m_enrollment.storeDirectory);
        enroll();
        return;
    }
}

void RenewOrReenroll::renew(Renewal::Tier tier)
{
    const bool challenge = tier == Renewal::Tier::Challenge;
    emit progress(challenge ? QStringLiteral("renewing with a signed challenge (tier 2)")
                            : QStringLiteral("renewing (tier 1)"));
    auto *renewal = new Renewal(
        {m_enrollment.url, m_enrollment.storeDirectory, tier, challenge ? m_enrollment.fingerprint : QString()},
        this);
    m_running = renewal;
    connect(renewal, &Renewal::finished, this, [this, renewal, challenge] {
        renewal->deleteLater();
        if (m_result)
            return;
        if (renewal->result()) {
            finish(challenge ? RenewalAction::ChallengeRenewed : RenewalAction::Renewed);
            return;
        }
        m_attempts << (challenge ? QStringLiteral("tier 2: ") : QStringLiteral("tier 1: "))
                + renewal->result().error().message;
        // Tier 2 needs an expired certificate, so a failed tier 1 falls through to enrolling too.
        enroll();
    });
    renewal->start();
}

void RenewOrReenroll::enroll()
{
    if (m_enrollment.buildSecret.isEmpty()) {
        QString why = m_attempts.join(QStringLiteral("; "));
        finish(DeviceError::make(DeviceError::Kind::Local,
                                 QStringLiteral("%1; enrolling again needs the build secret").arg(why)));
        return;
    }
    emit progress(QStringLiteral("enrolling again (tier 3)"));
    // Once a CA is stored (even if the key was lost), trust only it, whatever the options say.
    EnrollmentOptions options = m_enrollment;
    const CredentialStore store(options.storeDirectory);
    if (QFile::exists(store.caPath()))
        options.trust = TrustOptions{{}, store.caPath()};
    auto *enrollment = new Enrollment(options, this);
    m_running = enrollment;
    connect(enrollment, &Enrollment::finished, this, [this, enrollment] {
        enrollment->deleteLater();
        if (m_result)
            return;
        if (enrollment->result()) {
            finish(RenewalAction::Reenrolled);
            return;
        }
        m_attempts << QStringLiteral("tier 3: ") + enrollment->result().error().message;
        finish(enrollment->result().error());
    });
    enrollment->start();
}

void RenewOrReenroll::cancel()
{
    if (auto *renewal = qobject_cast<Renewal *>(m_running.data()))
        renewal->cancel();
    else if (auto *enrollment = qobject_cast<Enrollment *>(m_running.data()))
        enrollment->cancel();
    finish(DeviceError::make(DeviceError::Kind::Cancelled, QStringLiteral("cancelled")));
}

void RenewOrReenroll::finish(DeviceResult<RenewalAction> result)
{
    if (m_result)
        return;
    if (result)
        qCInfo(lcDevice).noquote() << "event=renewal_check action=" + actionName(result.value());
    else
        qCWarning(lcDevice).noquote() << "event=renewal_check_failed detail=" + result.error().message;
    m_result = std::move(result);
    emit finished();
}

} // namespace imprint::device
