// imprint-registryfill: fills a registry with a generated fleet (see fleetgenerator.h).
#include "support/fleetgenerator.h"

#include "storage/databaseurl.h"
#include "storage/registry.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fill an Imprint registry with a generated fleet of devices."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("Registry URL (sqlite:///path or postgresql://...)."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("devices"), QStringLiteral("Number of devices (default 1000)."),
                      QStringLiteral("N"), QStringLiteral("1000")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."), QStringLiteral("S"),
                      QStringLiteral("1")});
    parser.process(app);
    if (!parser.isSet(QStringLiteral("db"))) {
        std::fprintf(stderr, "imprint-registryfill: --db is required\n");
        return 2;
    }
    auto url = imprint::storage::parseDatabaseUrl(parser.value(QStringLiteral("db")));
    if (!url) {
        std::fprintf(stderr, "imprint-registryfill: %s\n", qPrintable(url.errorMessage()));
        return 2;
    }
    auto registry = imprint::storage::Registry::open(url.value(), QStringLiteral("fill"));
    if (!registry) {
        std::fprintf(stderr, "imprint-registryfill: %s\n", qPrintable(registry.errorMessage()));
        return 1;
    }
    imprint::testing::FleetOptions options;
    options.devices = parser.value(QStringLiteral("devices")).toInt();
    options.seed = parser.value(QStringLiteral("seed")).toULongLong();
    QElapsedTimer timer;
    timer.start();
    const imprint::Status done = imprint::testing::generateFleet(*registry.value(), options, [&](int written) {
        std::fprintf(stderr, "\r%d devices", written);
    });
    std::fprintf(stderr, "\n");
    if (!done) {
        std::fprintf(stderr, "imprint-registryfill: %s\n", qPrintable(done.errorMessage()));
        return 1;
    }
    std::printf("wrote %d devices in %.1f s\n", options.devices, double(timer.elapsed()) / 1000.0);
    return 0;
}
