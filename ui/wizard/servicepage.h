#pragma once

#include "device/servicetrust.h"

#include <QPointer>
#include <QWizardPage>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace imprint::wizard {

class EnrollmentWizard;

// (b) The service: URL and CA pin (or CA file), and a check that connects, verifies the
// pin and shows who the service is before anything secret is sent. Next stays disabled
// until the check has passed for exactly what is typed. When renewing, the service is
// checked against the CA the store already holds.
class ServicePage : public QWizardPage {
    Q_OBJECT

public:
    explicit ServicePage(EnrollmentWizard *wizard);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    // Starts the check of what is typed (the Check button).
    void check();
    bool isChecking() const { return m_probe != nullptr; }
    // The trust the last successful check established, if it still matches the fields.
    std::optional<device::ServiceTrust> trust() const;

    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *pinEdit() const { return m_pin; }
    QLineEdit *caFileEdit() const { return m_caFile; }
    QPushButton *checkButton() const { return m_checkButton; }
    QLabel *resultLabel() const { return m_result; }

signals:
    void checkFinished(bool ok);

private:
    device::TrustOptions trustOptions() const;
    QString checkKey() const;
    void onEdited();
    void showFailure(const QString &text);

    EnrollmentWizard *m_wizard;
    QLineEdit *m_url;
    QLabel *m_pinLabel;
    QLineEdit *m_pin;
    QLabel *m_caFileLabel;
    QWidget *m_caFileRow;
    QLineEdit *m_caFile;
    QPushButton *m_checkButton;
    QLabel *m_result;
    QPointer<device::TrustProbe> m_probe;
    std::optional<device::ServiceTrust> m_trust;
    QString m_checkedKey;
};

} // namespace imprint::wizard
