#include "commandregistry.h"
#include "console.h"

#include <QCoreApplication>
#ifdef IMPRINT_WITH_UI
#include "common/display.h"
#include "common/translations.h"

#include <QApplication>
#endif

#include <memory>

namespace {

QString programHelp(const std::vector<std::unique_ptr<Command>> &commands)
{
    QString text = QStringLiteral(
        "Usage: imprint <command> [options]\n"
        "\n"
        "Device enrollment, certificate renewal and mutual-TLS authentication.\n"
        "\n"
        "Commands:\n");
    qsizetype width = 0;
    for (const auto &command : commands)
        width = std::max(width, command->name().size());
    for (const auto &command : commands)
        text += QStringLiteral("  %1  %2\n").arg(command->name().leftJustified(width), command->summary());
    text += QStringLiteral(
        "\n"
        "Options:\n"
        "  -h, --help     Show this help and exit.\n"
        "  -v, --version  Show the version and exit.\n"
        "\n"
        "Run 'imprint <command> --help' for the options of a command.\n"
        "\n"
        "Exit codes:\n"
        "  0  the operation succeeded\n"
        "  1  the operation was attempted and failed\n"
        "  2  usage error: the command line was wrong, nothing was attempted\n");
    return text;
}

} // namespace

int main(int argc, char *argv[])
{
    auto commands = makeCommands();
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const QString first = arguments.value(1);

    // Commands are one or two words ("serve", "ca init"); the longest match wins.
    Command *selected = nullptr;
    bool isGroup = false;
    const QString twoWords = first + QLatin1Char(' ') + arguments.value(2);
    for (const auto &command : commands) {
        if (command->name() == first || command->name() == twoWords)
            selected = command.get();
        else if (command->name().startsWith(first + QLatin1Char(' ')))
            isGroup = true;
    }

    std::unique_ptr<QCoreApplication> app;
#ifdef IMPRINT_WITH_UI
    if (selected && selected->needsGui(arguments)) {
        QString why;
        if (!imprint::ui::displayAvailable(&why)) {
            console::err(QStringLiteral("imprint %1: %2.\n%3").arg(selected->name(), why, selected->headlessHint()));
            return ExitFailed;
        }
        app = std::make_unique<QApplication>(argc, argv);
    }
#endif
    if (!app)
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Imprint"));
    QCoreApplication::setApplicationName(QStringLiteral("imprint"));
    QCoreApplication::setApplicationVersion(QStringLiteral(IMPRINT_VERSION));
#ifdef IMPRINT_WITH_UI
    // The windows and the flows that mirror them (wizard --headless) follow the system
    // language; the other commands print English, as scripts expect.
    imprint::ui::installTranslators(*app);
#endif

    if (selected)
        return selected->execute(arguments);
    if (isGroup && !first.isEmpty()) {
        QString text = QStringLiteral("Usage: imprint %1 <command> [options]\n\nCommands:\n").arg(first);
        qsizetype width = 0;
        for (const auto &command : commands) {
            if (command->name().startsWith(first + QLatin1Char(' ')))
                width = std::max(width, command->name().size());
        }
        for (const auto &command : commands) {
            if (command->name().startsWith(first + QLatin1Char(' ')))
                text += QStringLiteral("  imprint %1  %2\n").arg(command->name().leftJustified(width), command->summary());
        }
        const bool askedForHelp = arguments.value(2) == QLatin1String("--help") || arguments.value(2) == QLatin1String("-h");
        if (askedForHelp) {
            console::out(text);
            return ExitOk;
        }
        if (!arguments.value(2).isEmpty())
            console::err(QStringLiteral("imprint %1: unknown command \"%2\"\n").arg(first, arguments.value(2)));
        console::err(text);
        return ExitUsage;
    }
    if (first.isEmpty() || first == QLatin1String("--help") || first == QLatin1String("-h")
        || first == QLatin1String("help")) {
        console::out(programHelp(commands));
        return first.isEmpty() ? ExitUsage : ExitOk;
    }
    if (first == QLatin1String("--version") || first == QLatin1String("-v")) {
        console::out(QStringLiteral("imprint %1\n").arg(QCoreApplication::applicationVersion()));
        return ExitOk;
    }
    console::err(QStringLiteral("imprint: unknown command \"%1\"\nTry 'imprint --help' for the list of commands.\n")
                     .arg(first));
    return ExitUsage;
}
