#pragma once

#include <QEventLoop>
#include <QObject>

namespace imprint::device {

// Runs `operation` (an Enrollment, Renewal, TrustProbe ...: start() and a finished() signal)
// to its end in a local event loop. The headless commands drive the same asynchronous
// objects as the windows, and wait for them this way.
template <typename Operation> void runToCompletion(Operation &operation)
{
    QEventLoop loop;
    QObject::connect(&operation, &Operation::finished, &loop, &QEventLoop::quit);
    operation.start();
    if (!operation.isFinished())
        loop.exec();
}

} // namespace imprint::device
