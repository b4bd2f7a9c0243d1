#pragma once

#include "storage/records.h"

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace imprint::console {

// Asks the operator to confirm a revocation, naming the device, and for the reason that
// goes into the audit trail. The Revoke button stays disabled until a reason is given.
class RevokeDialog : public QDialog {
    Q_OBJECT

public:
    explicit RevokeDialog(const storage::DeviceRecord &device, QWidget *parent = nullptr);
    QString reason() const;

private:
    QLineEdit *m_reason = nullptr;
    QPushButton *m_revoke = nullptr;
};

// Deleting a record cannot be undone and frees the fingerprint to enroll again as a new
// device, so the operator types the device's host name (or server_id) to confirm.
class DeleteDialog : public QDialog {
    Q_OBJECT

public:
    explicit DeleteDialog(const storage::DeviceRecord &device, QWidget *parent = nullptr);
    // What must be typed.
    QString confirmationText() const { return m_expected; }

private:
    QString m_expected;
    QLineEdit *m_confirmation = nullptr;
    QPushButton *m_delete = nullptr;
};

} // namespace imprint::console
