#include "fingerprint/networkinterface.h"

#include "fingerprint/attributes.h"

#include <QNetworkInterface>

#include <algorithm>

namespace imprint::fingerprint {

QString primaryMacAddress(QList<NetworkInterface> interfaces)
{
    std::stable_sort(interfaces.begin(), interfaces.end(), [](const NetworkInterface &a, const NetworkInterface &b) {
        return a.name.toUtf8() < b.name.toUtf8();
    });
    for (const NetworkInterface &nic : std::as_const(interfaces)) {
        if (nic.loopback)
            continue;
        QString address = normalise(nic.hardwareAddress);
        if (address.isEmpty())
            continue;
        if (address.startsWith(QLatin1String("00:00:00")) || address.startsWith(QLatin1String("02:42:")))
            continue;
        return address;
    }
    return {};
}

QList<NetworkInterface> systemNetworkInterfaces()
{
    QList<NetworkInterface> result;
    const auto all = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &nic : all) {
        result.append({nic.humanReadableName(),
                       nic.flags().testFlag(QNetworkInterface::IsLoopBack) || nic.type() == QNetworkInterface::Loopback,
                       nic.hardwareAddress()});
    }
    return result;
}

} // namespace imprint::fingerprint
