#include "device/platform.h"

#include <QSysInfo>

namespace imprint::device {

QString operatingSystem()
{
    const QString kernel = QSysInfo::kernelType();
    if (kernel == QLatin1String("winnt"))
        return QStringLiteral("windows");
    return kernel; // "linux", "darwin", "freebsd" match Go's spelling
}

QString architecture()
{
    const QString cpu = QSysInfo::currentCpuArchitecture();
    if (cpu == QLatin1String("x86_64"))
        return QStringLiteral("amd64");
    if (cpu == QLatin1String("i386"))
        return QStringLiteral("386");
    return cpu; // "arm64", "arm", "riscv64", ...
}

} // namespace imprint::device
