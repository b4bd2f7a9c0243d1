#include "consolecommand.h"

#include "commonoptions.h"
#include "console.h"

#ifdef IMPRINT_WITH_UI
#include "common/clock.h"
#include "console/consolewindow.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QTimer>
#endif

ConsoleCommand::ConsoleCommand()
    : Command(QStringLiteral("console"), QStringLiteral("Open the operator's CA console window."))
{
}

bool ConsoleCommand::needsGui(const QStringList &arguments) const
{
    // --help prints without a window.
    return !arguments.contains(QLatin1String("--help")) && !arguments.contains(QLatin1String("-h"));
}

QString ConsoleCommand::headlessHint() const
{
    return QStringLiteral("Without a display, use 'imprint devices list|show|revoke|delete --db URL' and "
                          "'imprint ca show --ca-dir DIR'.\n");
}

void ConsoleCommand::configure(QCommandLineParser &parser)
{
    parser.addOption(QCommandLineOption(
        QStringLiteral("db"),
        QStringLiteral("Registry to open: sqlite:///path/file.db, a bare path, or postgresql://user@host:port/db "
                       "(default: the last one opened, else %1 if it exists).")
            .arg(commonoptions::defaultDatabaseUrl()),
        QStringLiteral("URL")));
    parser.addOption(QCommandLineOption(
        QStringLiteral("ca-dir"),
        QStringLiteral("CA directory to show (default: the last one opened, else %1 if it exists).")
            .arg(commonoptions::defaultCaDirectory()),
        QStringLiteral("DIR")));
    parser.addOption(QCommandLineOption(QStringLiteral("refresh"),
                                        QStringLiteral("Seconds between re-reads of the registry; 0 turns the "
                                                       "periodic refresh off (default: 5)."),
                                        QStringLiteral("SECONDS"), QStringLiteral("5")));
}

int ConsoleCommand::run(const QCommandLineParser &parser)
{
    bool numeric = false;
    const double refreshSeconds = parser.value(QStringLiteral("refresh")).toDouble(&numeric);
    if (!numeric || refreshSeconds < 0 || refreshSeconds > 86400)
        return usageError(QStringLiteral("--refresh takes a number of seconds between 0 and 86400"));
#ifndef IMPRINT_WITH_UI
    return failure(QStringLiteral("this build of imprint has no windows"));
#else
    using imprint::console::ConsoleWindow;
    const QSettings settings;
    const QString defaultDatabase = commonoptions::defaultDatabaseUrl();
    const QString defaultCa = commonoptions::defaultCaDirectory();

    // Explicit flags first; then what was open last time; then where `imprint serve`
    // keeps its data by default, if it has run on this machine.
    QString database = parser.value(QStringLiteral("db"));
    const bool databaseGiven = !database.isEmpty();
    if (database.isEmpty())
        database = settings.value(QStringLiteral("console/databaseUrl")).toString();
    if (database.isEmpty() && QFileInfo::exists(defaultDatabase.mid(int(qstrlen("sqlite://")))))
        database = defaultDatabase;
    QString caDirectory = parser.value(QStringLiteral("ca-dir"));
    const bool caGiven = !caDirectory.isEmpty();
    if (caDirectory.isEmpty() && databaseGiven) {
        // `imprint serve` keeps registry.db beside ca/.
        const QString beside = QFileInfo(database.startsWith(QLatin1String("sqlite://")) ? database.mid(9) : database)
                                   .dir()
                                   .filePath(QStringLiteral("ca"));
        if (QFileInfo::exists(beside + QStringLiteral("/ca.crt")))
            caDirectory = beside;
    }
    if (caDirectory.isEmpty())
        caDirectory = settings.value(QStringLiteral("console/caDirectory")).toString();
    if (caDirectory.isEmpty() && QFileInfo::exists(defaultCa + QStringLiteral("/ca.crt")))
        caDirectory = defaultCa;

    ConsoleWindow window(imprint::processClock());
    ConsoleWindow::Options options;
    options.newServiceDirectory = commonoptions::defaultServiceDirectory();
    options.refreshIntervalMs = int(refreshSeconds * 1000);
    window.setOptions(options);

    QString error;
    if (!database.isEmpty() && !window.openRegistry(database, &error)) {
        if (databaseGiven)
            return failure(QStringLiteral("cannot open the registry %1: %2").arg(database, error));
        console::err(QStringLiteral("imprint console: the last registry (%1) could not be opened: %2\n")
                         .arg(database, error));
    }
    if (!caDirectory.isEmpty() && !window.openCaDirectory(caDirectory, &error)) {
        if (caGiven)
            return failure(QStringLiteral("cannot read the CA in %1: %2").arg(caDirectory, error));
        console::err(QStringLiteral("imprint console: the last CA directory (%1) could not be read: %2\n")
                         .arg(caDirectory, error));
    }
    window.show();
    if (!window.registry())
        QTimer::singleShot(0, &window, &ConsoleWindow::offerSetup);
    return QApplication::exec();
#endif
}
