#pragma once

#include "common/result.h"

#include <QString>

#include <chrono>

namespace imprint {

// Parses the durations that flags take: a positive integer followed by a unit,
// s (seconds), m (minutes), h (hours) or d (days), e.g. "30d", "24h", "90s".
// A bare number is refused: "365" could mean days or seconds.
Result<std::chrono::seconds> parseDuration(const QString &text);

// The shortest exact spelling of a duration in the same units ("30d", "90m").
QString formatDuration(std::chrono::seconds duration);

} // namespace imprint
