#include "fingerprint/collector.h"

#include "fingerprint/linuxcollector.h"
#include "fingerprint/maccollector.h"
#include "fingerprint/windowscollector.h"

#include <QSysInfo>

namespace imprint::fingerprint {

namespace {

// Platforms without a collector yet: tier 1 is skipped and the persisted/generated
// tiers take over, as for a container without hardware attributes.
class UnsupportedCollector final : public Collector {
public:
    QString platform() const override { return QSysInfo::kernelType(); }
    QList<Attribute> collect() const override { return {}; }
    QString unavailableReason() const override
    {
        return QStringLiteral("no hardware collector for platform %1").arg(platform());
    }
};

} // namespace

std::unique_ptr<Collector> makePlatformCollector(const QString &root)
{
#if defined(Q_OS_WIN)
    Q_UNUSED(root);
    return std::make_unique<WindowsCollector>();
#elif defined(Q_OS_MACOS)
    Q_UNUSED(root);
    return std::make_unique<MacCollector>();
#elif defined(Q_OS_LINUX)
    return std::make_unique<LinuxCollector>(root);
#else
    Q_UNUSED(root);
    return std::make_unique<UnsupportedCollector>();
#endif
}

} // namespace imprint::fingerprint
