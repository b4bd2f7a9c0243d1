#pragma once

#include <QString>

namespace imprint::device {

// This machine's operating system and architecture as an enrollment reports them, in
// Go's runtime.GOOS / GOARCH spelling ("linux", "amd64"), as the reference client sends
// them, so that a registry reads the same whichever client enrolled a device.
QString operatingSystem();
QString architecture();

} // namespace imprint::device
