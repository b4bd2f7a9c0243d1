#pragma once

#include <QList>
#include <QString>

namespace imprint::fingerprint {

// What the primary-NIC rule needs to know of a network interface.
struct NetworkInterface {
    QString name;
    bool loopback = false;
    // "aa:bb:cc:dd:ee:ff" in any case; empty when the interface has none.
    QString hardwareAddress;
};

// The mac_address attribute: interfaces sorted by name (byte order), the first that is
// not loopback, has a hardware address, and whose address does not start with
// "00:00:00" (null) or "02:42:" (Docker). Lowercase; empty when no interface qualifies.
QString primaryMacAddress(QList<NetworkInterface> interfaces);

// The interfaces as Qt sees them, for platforms without a file-system view of their
// interfaces. On Windows the name is the friendly name, as the reference uses.
QList<NetworkInterface> systemNetworkInterfaces();

} // namespace imprint::fingerprint
