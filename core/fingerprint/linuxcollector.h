#pragma once

#include "fingerprint/collector.h"
#include "fingerprint/networkinterface.h"

namespace imprint::fingerprint {

// Linux attributes, read from files under a root directory ("/" in production, a fake
// tree in tests):
//   machine_id    <root>/etc/machine-id
//   product_uuid  <root>/sys/class/dmi/id/product_uuid (usually readable by root only)
//   mac_address   primary NIC among <root>/sys/class/net/<iface>/{address,flags,type}
class LinuxCollector final : public Collector {
public:
    explicit LinuxCollector(QString root = QStringLiteral("/"));

    QString platform() const override { return QStringLiteral("linux"); }
    QList<Attribute> collect() const override;

    // The interfaces of <root>/sys/class/net as the reference (Go's net.Interfaces over
    // netlink) sees them: loopback from IFF_LOOPBACK, the name "lo" or type 772; no
    // hardware address when it is all zeros or the IP address of an IP tunnel.
    QList<NetworkInterface> networkInterfaces() const;

    const QString &root() const { return m_root; }

private:
    QString path(const QString &relative) const;

    QString m_root;
};

} // namespace imprint::fingerprint
