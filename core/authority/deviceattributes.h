#pragma once

#include "common/result.h"
#include "protocol/messages.h"

namespace imprint::authority {

// What an enrolling device says about itself (fingerprint, host name, OS, architecture)
// is kept in the registry and shown in the console, in terminals and in exported CSV.
// Beyond the reference, which keeps whatever it is sent: each is bounded in length and
// may hold no character that is unsafe to display (common/displaytext.h). A reference
// client sends a fingerprint, os.Hostname(), GOOS and GOARCH, which always pass.
Status checkDeviceAttributes(const protocol::EnrollRequest &request);

inline constexpr qsizetype kMaxFingerprintChars = 256;
inline constexpr qsizetype kMaxHostnameChars = 255;
inline constexpr qsizetype kMaxPlatformChars = 64; // os, arch

} // namespace imprint::authority
