#include "credentialspage.h"

#include "enrollmentwizard.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace imprint::wizard {

CredentialsPage::CredentialsPage(EnrollmentWizard *wizard) : QWizardPage(wizard), m_wizard(wizard)
{
    setObjectName(QStringLiteral("credentialsPage"));
    setTitle(tr("Build secret"));
    setSubTitle(tr("Proves that this is genuine device software. It is sent once, to the service checked before."));
    auto *layout = new QVBoxLayout(this);

    m_typed = new QRadioButton(tr("Type the build secret"), this);
    m_typed->setObjectName(QStringLiteral("typedChoice"));
    layout->addWidget(m_typed);
    auto *secretRow = new QHBoxLayout;
    m_secret = new QLineEdit(this);
    m_secret->setObjectName(QStringLiteral("secret"));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    m_show = new QPushButton(tr("Show"), this);
    m_show->setObjectName(QStringLiteral("showSecret"));
    m_show->setCheckable(true);
    secretRow->addWidget(m_secret, 1);
    secretRow->addWidget(m_show);
    layout->addLayout(secretRow);

    m_fromFile = new QRadioButton(tr("Read it from a file"), this);
    m_fromFile->setObjectName(QStringLiteral("fileChoice"));
    layout->addWidget(m_fromFile);
    m_fileRow = new QWidget(this);
    auto *fileRow = new QHBoxLayout(m_fileRow);
    fileRow->setContentsMargins(0, 0, 0, 0);
    m_secretFile = new QLineEdit(m_fileRow);
    m_secretFile->setObjectName(QStringLiteral("secretFile"));
    auto *browse = new QPushButton(tr("Choose…"), m_fileRow);
    fileRow->addWidget(m_secretFile, 1);
    fileRow->addWidget(browse);
    layout->addWidget(m_fileRow);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("secretError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    layout->addWidget(m_error);
    layout->addStretch();

    connect(m_show, &QPushButton::toggled, this, [this](bool shown) {
        m_secret->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_show->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(m_typed, &QRadioButton::toggled, this, &CredentialsPage::updateChoice);
    connect(m_secret, &QLineEdit::textEdited, this, &CredentialsPage::store);
    connect(m_secretFile, &QLineEdit::textEdited, this, &CredentialsPage::store);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Build secret file"), m_secretFile->text());
        if (!file.isEmpty()) {
            m_secretFile->setText(file);
            store();
        }
    });

    const WizardInputs &inputs = wizard->inputs();
    m_secret->setText(QString::fromUtf8(inputs.secret));
    m_secretFile->setText(inputs.secretFile);
    (inputs.secret.isEmpty() && !inputs.secretFile.isEmpty() ? m_fromFile : m_typed)->setChecked(true);
    updateChoice();
}

void CredentialsPage::updateChoice()
{
    const bool typed = m_typed->isChecked();
    m_secret->setEnabled(typed);
    m_show->setEnabled(typed);
    m_fileRow->setEnabled(!typed);
    store();
}

// The inputs hold only the chosen way, so that a secret file left in the field does not
// win over a typed secret or the other way round.
void CredentialsPage::store()
{
    WizardInputs &inputs = m_wizard->inputs();
    const bool typed = m_typed->isChecked();
    inputs.secret = typed ? m_secret->text().toUtf8() : QByteArray();
    inputs.secretFile = typed ? QString() : m_secretFile->text().trimmed();
    m_error->clear();
    emit completeChanged();
}

void CredentialsPage::initializePage()
{
    (m_typed->isChecked() ? m_secret : m_secretFile)->setFocus();
}

bool CredentialsPage::isComplete() const
{
    return m_typed->isChecked() ? !m_secret->text().isEmpty() : !m_secretFile->text().trimmed().isEmpty();
}

bool CredentialsPage::validatePage()
{
    store();
    auto secret = buildSecret(m_wizard->inputs());
    if (!secret) {
        m_error->setText(secret.errorMessage());
        return false;
    }
    return true;
}

} // namespace imprint::wizard
