#include "capanel.h"

#include "authority/certificateauthority.h"
#include "common/atomicfile.h"
#include "common/format.h"
#include "crypto/certificate.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace imprint::console {

namespace {

constexpr qint64 kMaxCertificateBytes = 1 << 20;
constexpr auto kServerCertificateFile = "server.crt";

Result<crypto::Certificate> readCertificate(const QString &path)
{
    auto pem = readFileLimited(path, kMaxCertificateBytes);
    if (!pem)
        return pem.error();
    auto certificate = crypto::Certificate::fromPem(pem.value());
    if (!certificate)
        return Result<crypto::Certificate>::failure(QStringLiteral("%1: %2").arg(path, certificate.errorMessage()));
    return certificate;
}

QLabel *selectableLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    return label;
}

} // namespace

CaPanel::CaPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    layout->addWidget(m_message);
    auto *open = new QPushButton(tr("Open CA directory..."), this);
    open->setObjectName(QStringLiteral("openCaDirectory"));
    connect(open, &QPushButton::clicked, this, &CaPanel::openRequested);

    m_details = new QWidget(this);
    auto *form = new QFormLayout(m_details);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_subject = selectableLabel(m_details);
    form->addRow(tr("Subject:"), m_subject);
    m_validity = selectableLabel(m_details);
    form->addRow(tr("Valid:"), m_validity);
    auto *pinRow = new QHBoxLayout;
    m_pin = new QLineEdit(m_details);
    m_pin->setObjectName(QStringLiteral("caPin"));
    m_pin->setReadOnly(true);
    m_pin->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_pin->setToolTip(tr("Give this pin to the technician: the enrollment wizard and 'imprint enroll --ca-pin' "
                         "use it to trust this service before sending anything secret."));
    pinRow->addWidget(m_pin, 1);
    m_copy = new QPushButton(tr("Copy"), m_details);
    m_copy->setObjectName(QStringLiteral("copyPin"));
    pinRow->addWidget(m_copy);
    form->addRow(tr("CA pin:"), pinRow);
    m_directory = selectableLabel(m_details);
    form->addRow(tr("Directory:"), m_directory);
    m_serverCertificate = selectableLabel(m_details);
    form->addRow(tr("Service TLS certificate:"), m_serverCertificate);
    layout->addWidget(m_details);
    layout->addWidget(open, 0, Qt::AlignLeft);
    layout->addStretch(1);
    connect(m_copy, &QPushButton::clicked, this, &CaPanel::copyPin);
    m_details->hide();
    m_message->setText(tr("No CA directory is open."));
}

bool CaPanel::showDirectory(const QString &directory, const QDateTime &now, QString *error)
{
    const QString caFile = QDir(directory).filePath(QLatin1String(authority::CertificateAuthority::kCertificateFile));
    auto ca = readCertificate(caFile);
    if (!ca) {
        m_details->hide();
        m_pin->clear();
        m_message->setText(tr("No CA could be read in %1: %2").arg(directory, ca.errorMessage()));
        if (error)
            *error = ca.errorMessage();
        return false;
    }
    m_message->clear();
    m_subject->setText(ca->subjectText());
    m_validity->setText(tr("%1 to %2 (%3)")
                            .arg(ui::formatDateTime(ca->notBefore()), ui::formatDateTime(ca->notAfter()),
                                 ui::formatDaysLeft(ca->notAfter(), now)));
    m_pin->setText(ca->pin());
    m_copy->setText(tr("Copy"));
    m_pin->setCursorPosition(0);
    m_directory->setText(QDir::toNativeSeparators(directory));

    const QString serverFile = QDir(directory).filePath(QLatin1String(kServerCertificateFile));
    if (!QFileInfo::exists(serverFile)) {
        m_serverCertificate->setText(tr("not issued yet (imprint serve issues it on start)"));
    } else if (auto server = readCertificate(serverFile)) {
        m_serverCertificate->setText(tr("expires %1 (%2); renewed by the service 30 days before")
                                         .arg(ui::formatDateTime(server->notAfter()),
                                              ui::formatDaysLeft(server->notAfter(), now)));
    } else {
        m_serverCertificate->setText(tr("unreadable: %1").arg(server.errorMessage()));
    }
    m_details->show();
    return true;
}

QString CaPanel::pin() const
{
    return m_pin->text();
}

void CaPanel::copyPin()
{
    QApplication::clipboard()->setText(m_pin->text());
    m_copy->setText(tr("Copied"));
}

} // namespace imprint::console
