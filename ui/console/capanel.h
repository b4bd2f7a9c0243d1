#pragma once

#include <QDateTime>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace imprint::console {

// The CA the fleet trusts: subject, validity, the pin a technician types into a kiosk
// (with a copy button), the directory, and the expiry of the service's own TLS
// certificate. Reads only the certificates (ca.crt, server.crt), never the key.
class CaPanel : public QWidget {
    Q_OBJECT

public:
    explicit CaPanel(QWidget *parent = nullptr);

    // Shows the CA in `directory`; false with an explanation shown in the panel (and in
    // `error`) if there is no readable CA there.
    bool showDirectory(const QString &directory, const QDateTime &now, QString *error = nullptr);
    QString pin() const;

signals:
    void openRequested();

private:
    void copyPin();

    QLabel *m_message = nullptr;
    QWidget *m_details = nullptr;
    QLabel *m_subject = nullptr;
    QLabel *m_validity = nullptr;
    QLineEdit *m_pin = nullptr;
    QPushButton *m_copy = nullptr;
    QLabel *m_directory = nullptr;
    QLabel *m_serverCertificate = nullptr;
};

} // namespace imprint::console
