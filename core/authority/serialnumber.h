#pragma once

#include "common/result.h"
#include "crypto/handles.h"

namespace imprint::authority {

// A certificate serial of 128 bits from the CSPRNG with the top bit cleared, so that it is
// positive and fits the 20 octets of RFC 5280 while replicas never collide (the reference
// counts nanoseconds, which two replicas can share).
Result<crypto::Asn1IntegerPtr> randomSerialNumber();

} // namespace imprint::authority
