#pragma once

#include "common/clock.h"
#include "wizardinputs.h"

#include <QTextStream>

namespace imprint::wizard {

// `imprint wizard --headless`: the wizard's pages as lines on a terminal, in the same
// order and with the same texts (Texts), for a technician's script or a kiosk without a
// display: status, the service check (nothing secret is sent before it passes), the
// identity, the enrollment's steps, and the result or the failure with what to check.
// Runs the same core/device objects in a local event loop.
class HeadlessWizard {
public:
    HeadlessWizard(WizardInputs inputs, const Clock &clock, QTextStream &out, QTextStream &err);

    // 0 when enrolled; 1 when a step failed (the report is on `err`).
    int run();

private:
    int fail(const QString &report);

    WizardInputs m_inputs;
    const Clock &m_clock;
    QTextStream &m_out;
    QTextStream &m_err;
};

} // namespace imprint::wizard
