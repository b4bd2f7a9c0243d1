#pragma once

#include "device/enrollment.h"
#include "device/renewalpolicy.h"

#include <QCommandLineParser>

// The options of the device-side commands (enroll, renew, daemon, status, request, wizard),
// declared once so that they are spelled and documented alike.
namespace deviceoptions {

enum Group : unsigned {
    Store = 1,       // --store-dir
    Service = 2,     // --url
    Trust = 4,       // --ca-pin, --ca-file
    Identity = 8,    // --persist-dir, --root, --hostname
    Secret = 16,     // --secret-file, --secret
    Renewal = 32,    // --threshold, --challenge-window
};

void add(QCommandLineParser &parser, unsigned groups);

QString storeDirectory(const QCommandLineParser &parser);

// Builds what an enrollment needs from the options: the URL, the trust, the build secret
// (optional when `secretRequired` is false, e.g. for renew's tier-3 fallback), and this
// machine's fingerprint, host name, OS and architecture. Errors are usage errors.
imprint::Result<imprint::device::EnrollmentOptions> enrollmentOptions(const QCommandLineParser &parser,
                                                                      bool secretRequired);

imprint::Result<imprint::device::RenewalPolicy> renewalPolicy(const QCommandLineParser &parser);

} // namespace deviceoptions
