#include "fingerprint/linuxcollector.h"

#include "common/atomicfile.h"
#include "common/logging.h"

#include <QDir>

#include <optional>

namespace imprint::fingerprint {

namespace {

// sysfs reports 4096 bytes for every attribute file whatever its content.
constexpr qint64 kMaxAttributeFile = qint64(64) * 1024;

// <linux/if.h> and <linux/if_arp.h>, spelled out so that the fake trees of the tests and
// any build host agree.
constexpr uint kIffLoopback = 0x8;
constexpr int kArphrdLoopback = 772;
constexpr int kArphrdTunnel = 768;  // IPv4 over IPv4
constexpr int kArphrdTunnel6 = 769; // IPv6 over IPv6
constexpr int kArphrdSit = 776;     // IPv6 over IPv4
constexpr int kArphrdIpGre = 778;   // GRE over IPv4
constexpr int kArphrdIp6Gre = 823;  // GRE over IPv6

// The trimmed content of a small file, or nothing when it cannot be read.
std::optional<QString> readTrimmed(const QString &path)
{
    const auto data = readFileLimited(path, kMaxAttributeFile);
    if (!data.ok()) {
        qCDebug(lcFingerprint).noquote() << "event=read_skipped"
                                         << "reason=" + data.errorMessage();
        return std::nullopt;
    }
    return QString::fromUtf8(data.value()).trimmed();
}

// An IP tunnel's "hardware address" is its local IP address; the reference never takes
// it for a MAC address (Go's net package drops it), so neither do we.
bool isTunnelEndpointAddress(int type, qsizetype octets)
{
    if (octets == 4)
        return type == kArphrdTunnel || type == kArphrdSit || type == kArphrdIpGre;
    if (octets == 16)
        return type == kArphrdTunnel6 || type == kArphrdIp6Gre;
    return false;
}

bool isAllZero(const QStringList &octets)
{
    for (const QString &octet : octets) {
        bool ok = false;
        if (octet.toUInt(&ok, 16) != 0 || !ok)
            return false;
    }
    return true;
}

} // namespace

LinuxCollector::LinuxCollector(QString root) : m_root(std::move(root)) {}

QString LinuxCollector::path(const QString &relative) const
{
    return QDir(m_root).filePath(relative);
}

QList<NetworkInterface> LinuxCollector::networkInterfaces() const
{
    QList<NetworkInterface> result;
    const QDir netDir(path(QStringLiteral("sys/class/net")));
    // Only directories (symlinks to them in sysfs): files such as bonding_masters are
    // not interfaces.
    const QStringList names = netDir.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden);
    for (const QString &name : names) {
        const QDir dir(netDir.filePath(name));
        NetworkInterface nic;
        nic.name = name;

        bool ok = false;
        const uint flags = readTrimmed(dir.filePath(QStringLiteral("flags"))).value_or(QString()).toUInt(&ok, 0);
        const bool loopbackFlag = ok && (flags & kIffLoopback) != 0;
        const int type = readTrimmed(dir.filePath(QStringLiteral("type"))).value_or(QString()).toInt(&ok, 10);
        const int arpType = ok ? type : -1;
        nic.loopback = loopbackFlag || arpType == kArphrdLoopback || name == QLatin1String("lo");

        const QString address = readTrimmed(dir.filePath(QStringLiteral("address"))).value_or(QString());
        const QStringList octets = address.split(u':');
        if (!address.isEmpty() && !isAllZero(octets) && !isTunnelEndpointAddress(arpType, octets.size()))
            nic.hardwareAddress = address;
        result.append(nic);
    }
    return result;
}

QList<Attribute> LinuxCollector::collect() const
{
    QList<Attribute> attributes;
    auto add = [&](const QString &key, const QString &value) {
        const QString normalised = normalise(value);
        if (normalised.isEmpty()) {
            qCDebug(lcFingerprint).noquote() << "event=attribute_skipped"
                                             << "key=" + key << "reason=empty";
            return;
        }
        attributes.append({key, normalised});
    };

    add(QString(kMachineId), readTrimmed(path(QStringLiteral("etc/machine-id"))).value_or(QString()));
    add(QString(kProductUuid), readTrimmed(path(QStringLiteral("sys/class/dmi/id/product_uuid"))).value_or(QString()));
    add(QString(kMacAddress), primaryMacAddress(networkInterfaces()));
    return attributes;
}

} // namespace imprint::fingerprint
