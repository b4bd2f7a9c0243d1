#include "fingerprint/windowscollector.h"

#ifdef Q_OS_WIN
#include "common/logging.h"
#include "fingerprint/networkinterface.h"

#include <qt_windows.h>
#endif

namespace imprint::fingerprint {

#ifdef Q_OS_WIN

namespace {

QString readMachineGuid()
{
    HKEY key = nullptr;
    // KEY_WOW64_64KEY: a 32-bit build must read the same value as the 64-bit reference,
    // not the (absent) WOW6432Node copy.
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Cryptography", 0, KEY_READ | KEY_WOW64_64KEY, &key) !=
        ERROR_SUCCESS) {
        qCDebug(lcFingerprint) << "event=attribute_skipped key=machine_guid reason=cannot_open_key";
        return {};
    }
    wchar_t buffer[256] = {};
    DWORD size = sizeof(buffer) - sizeof(wchar_t); // keep room for a terminator
    DWORD type = 0;
    const LSTATUS status =
        RegQueryValueExW(key, L"MachineGuid", nullptr, &type, reinterpret_cast<BYTE *>(buffer), &size);
    RegCloseKey(key);
    if (status != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ)) {
        qCDebug(lcFingerprint) << "event=attribute_skipped key=machine_guid reason=cannot_read_value";
        return {};
    }
    // The stored string may or may not include its terminator.
    qsizetype length = qsizetype(size / sizeof(wchar_t));
    while (length > 0 && buffer[length - 1] == L'\0')
        --length;
    return QString::fromWCharArray(buffer, length);
}

} // namespace

QList<Attribute> WindowsCollector::collect() const
{
    QList<Attribute> attributes;
    if (const QString guid = normalise(readMachineGuid()); !guid.isEmpty())
        attributes.append({QString(kMachineGuid), guid});
    if (const QString mac = primaryMacAddress(systemNetworkInterfaces()); !mac.isEmpty())
        attributes.append({QString(kMacAddress), mac});
    return attributes;
}

QString WindowsCollector::unavailableReason() const
{
    return {};
}

#else

QList<Attribute> WindowsCollector::collect() const
{
    return {};
}

QString WindowsCollector::unavailableReason() const
{
    return QStringLiteral("the Windows collector is not available in this build");
}

#endif

} // namespace imprint::fingerprint
