#include "fingerprint/maccollector.h"

#ifdef Q_OS_MACOS
#include "common/logging.h"
#include "fingerprint/networkinterface.h"

#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/IOKitLib.h>
#endif

namespace imprint::fingerprint {

#ifdef Q_OS_MACOS

namespace {

QString readPlatformUuid()
{
    // MACH_PORT_NULL selects the default main port (kIOMasterPortDefault is deprecated,
    // kIOMainPortDefault needs macOS 12).
    const io_service_t service =
        IOServiceGetMatchingService(MACH_PORT_NULL, IOServiceMatching("IOPlatformExpertDevice"));
    if (service == IO_OBJECT_NULL) {
        qCDebug(lcFingerprint) << "event=attribute_skipped key=platform_uuid reason=no_platform_expert";
        return {};
    }
    const CFTypeRef property =
        IORegistryEntryCreateCFProperty(service, CFSTR(kIOPlatformUUIDKey), kCFAllocatorDefault, 0);
    IOObjectRelease(service);
    if (!property)
        return {};
    QString uuid;
    if (CFGetTypeID(property) == CFStringGetTypeID())
        uuid = QString::fromCFString(static_cast<CFStringRef>(property));
    CFRelease(property);
    return uuid;
}

} // namespace

QList<Attribute> MacCollector::collect() const
{
    QList<Attribute> attributes;
    if (const QString uuid = normalise(readPlatformUuid()); !uuid.isEmpty())
        attributes.append({QString(kPlatformUuid), uuid});
    if (const QString mac = primaryMacAddress(systemNetworkInterfaces()); !mac.isEmpty())
        attributes.append({QString(kMacAddress), mac});
    return attributes;
}

QString MacCollector::unavailableReason() const
{
    return {};
}

#else

QList<Attribute> MacCollector::collect() const
{
    return {};
}

QString MacCollector::unavailableReason() const
{
    return QStringLiteral("the macOS collector is not available in this build");
}

#endif

} // namespace imprint::fingerprint
