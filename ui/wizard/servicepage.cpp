#include "servicepage.h"

#include "device/credentialstore.h"
#include "enrollmentwizard.h"
#include "wizardtexts.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace imprint::wizard {

ServicePage::ServicePage(EnrollmentWizard *wizard) : QWizardPage(wizard), m_wizard(wizard)
{
    setObjectName(QStringLiteral("servicePage"));
    setTitle(tr("Service"));
    setSubTitle(tr("The enrollment service and the pin of its CA, as on the operator's sheet."));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("url"));
    m_url->setPlaceholderText(QStringLiteral("https://ca.example:8443"));
    m_url->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    form->addRow(tr("Service URL:"), m_url);
    m_pin = new QLineEdit(this);
    m_pin->setObjectName(QStringLiteral("caPin"));
    m_pin->setPlaceholderText(QStringLiteral("sha256:…"));
    m_pin->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);
    m_pinLabel = new QLabel(tr("CA pin:"), this);
    form->addRow(m_pinLabel, m_pin);
    m_caFileRow = new QWidget(this);
    auto *fileRow = new QHBoxLayout(m_caFileRow);
    fileRow->setContentsMargins(0, 0, 0, 0);
    m_caFile = new QLineEdit(m_caFileRow);
    m_caFile->setObjectName(QStringLiteral("caFile"));
    m_caFile->setPlaceholderText(tr("or a CA certificate file (PEM)"));
    auto *browse = new QPushButton(tr("Choose…"), m_caFileRow);
    fileRow->addWidget(m_caFile, 1);
    fileRow->addWidget(browse);
    m_caFileLabel = new QLabel(tr("CA file:"), this);
    form->addRow(m_caFileLabel, m_caFileRow);
    layout->addLayout(form);

    m_checkButton = new QPushButton(tr("Check the service"), this);
    m_checkButton->setObjectName(QStringLiteral("checkButton"));
    m_checkButton->setAutoDefault(true);
    layout->addWidget(m_checkButton, 0, Qt::AlignLeft);
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("checkResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_result, 1, Qt::AlignTop);

    connect(m_checkButton, &QPushButton::clicked, this, &ServicePage::check);
    connect(m_url, &QLineEdit::returnPressed, this, &ServicePage::check);
    connect(m_pin, &QLineEdit::returnPressed, this, &ServicePage::check);
    for (QLineEdit *edit : {m_url, m_pin, m_caFile})
        connect(edit, &QLineEdit::textEdited, this, &ServicePage::onEdited);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificate"), m_caFile->text(),
                                                          tr("Certificates (*.crt *.pem);;All files (*)"));
        if (!file.isEmpty()) {
            m_caFile->setText(file);
            onEdited();
        }
    });

    const WizardInputs &inputs = wizard->inputs();
    m_url->setText(inputs.url);
    m_pin->setText(inputs.caPin);
    m_caFile->setText(inputs.caFile);
}

void ServicePage::initializePage()
{
    // Renewal trusts the CA the store holds; enrollment what the technician was given.
    const bool enrolling = m_wizard->mode() == EnrollmentWizard::Mode::Enroll;
    for (QWidget *widget : {static_cast<QWidget *>(m_pinLabel), static_cast<QWidget *>(m_pin),
                            static_cast<QWidget *>(m_caFileLabel), m_caFileRow})
        widget->setVisible(enrolling);
    setSubTitle(enrolling ? tr("The enrollment service and the pin of its CA, as on the operator's sheet.")
                          : tr("The service that issued this machine's certificate; it is checked against the CA "
                               "in the store."));
    if (m_checkedKey != checkKey())
        m_result->clear();
    m_url->setFocus();
}

device::TrustOptions ServicePage::trustOptions() const
{
    if (m_wizard->mode() == EnrollmentWizard::Mode::Renew)
        return {QString(), device::CredentialStore(m_wizard->inputs().storeDirectory).caPath()};
    return {m_pin->text().trimmed(), m_caFile->text().trimmed()};
}

QString ServicePage::checkKey() const
{
    const device::TrustOptions trust = trustOptions();
    return m_url->text().trimmed() + QLatin1Char('\n') + trust.caPin + QLatin1Char('\n') + trust.caFile;
}

void ServicePage::onEdited()
{
    WizardInputs &inputs = m_wizard->inputs();
    inputs.url = m_url->text().trimmed();
    inputs.caPin = m_pin->text().trimmed();
    inputs.caFile = m_caFile->text().trimmed();
    if (m_checkedKey != checkKey()) {
        m_result->clear();
        emit completeChanged();
    }
}

void ServicePage::showFailure(const QString &text)
{
    m_result->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_result->setText(text);
    emit completeChanged();
    emit checkFinished(false);
}

void ServicePage::check()
{
    if (m_probe)
        return;
    onEdited();
    m_trust.reset();
    m_checkedKey.clear();
    auto url = serviceUrl(m_url->text());
    if (!url) {
        showFailure(url.errorMessage());
        return;
    }
    const device::TrustOptions trust = trustOptions();
    if (!trust.caPin.isEmpty() && !trust.caFile.isEmpty()) {
        showFailure(tr("Give either the CA pin or a CA file, not both."));
        return;
    }
    m_result->setStyleSheet(QString());
    m_result->setText(tr("Connecting to %1…").arg(url->authority()));
    m_checkButton->setEnabled(false);
    const QString key = checkKey();
    m_probe = new device::TrustProbe(url.value(), trust, this);
    connect(m_probe, &device::TrustProbe::finished, this, [this, key] {
        const auto result = m_probe->result();
        m_probe->deleteLater();
        m_probe = nullptr;
        m_checkButton->setEnabled(true);
        if (!result) {
            showFailure(Texts::failureReport(result.error()).trimmed());
            return;
        }
        m_trust = result.value();
        m_checkedKey = key;
        m_result->setStyleSheet(QStringLiteral("color: #1b5e20;"));
        const device::TrustOptions given = trustOptions();
        m_result->setText(Texts::serviceVerified(*m_trust, !given.caPin.isEmpty() || !given.caFile.isEmpty()));
        emit completeChanged();
        emit checkFinished(true);
    });
    m_probe->start();
}

std::optional<device::ServiceTrust> ServicePage::trust() const
{
    if (m_checkedKey.isEmpty() || m_checkedKey != checkKey())
        return std::nullopt;
    return m_trust;
}

bool ServicePage::isComplete() const
{
    return trust().has_value();
}

// QWizard::next() does not ask isComplete(); nothing goes past this page unchecked.
bool ServicePage::validatePage()
{
    return trust().has_value();
}

} // namespace imprint::wizard
