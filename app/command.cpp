#include "command.h"

#include "console.h"

#include <QCoreApplication>

Command::Command(QString name, QString summary)
    : m_name(std::move(name)), m_summary(std::move(summary))
{
}

bool Command::needsGui(const QStringList &) const
{
    return false;
}

QString Command::headlessHint() const
{
    return {};
}

QString Command::commandPath() const
{
    return QStringLiteral("imprint ") + m_name;
}

int Command::execute(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(m_summary);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    parser.addOption(help);
    configure(parser);

    // Drop the command's words so that positional arguments start after them.
    QStringList forParser = arguments;
    const qsizetype words = m_name.count(QLatin1Char(' ')) + 1;
    forParser.remove(1, std::min(words, forParser.size() - 1));
    forParser[0] = commandPath();

    if (!parser.parse(forParser))
        return usageError(parser.errorText());
    if (parser.isSet(help)) {
        // helpText() names the binary by its path; show the command as the user types it.
        QString text = parser.helpText();
        text.replace(QLatin1String("Usage: ") + QCoreApplication::arguments().constFirst(),
                     QLatin1String("Usage: ") + commandPath());
        console::out(text);
        return ExitOk;
    }
    return run(parser);
}

int Command::usageError(const QString &message) const
{
    console::err(QStringLiteral("%1: %2\nTry '%1 --help' for more information.\n").arg(commandPath(), message));
    return ExitUsage;
}

int Command::failure(const QString &message) const
{
    console::err(QStringLiteral("%1: error: %2\n").arg(commandPath(), message));
    return ExitFailed;
}
