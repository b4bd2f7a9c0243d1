#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

// Exit codes of every command, documented in `imprint --help` and docs/CLI.md.
enum ExitCode : int {
    ExitOk = 0,      // the operation succeeded
    ExitFailed = 1,  // the operation was attempted and failed
    ExitUsage = 2,   // the command line was wrong; nothing was attempted
};

// One `imprint <name>` command. Subclasses declare their options and run; the base
// handles --help, parse errors and the exit-code conventions so that all commands agree.
class Command {
public:
    Command(QString name, QString summary);
    virtual ~Command() = default;
    Command(const Command &) = delete;
    Command &operator=(const Command &) = delete;

    const QString &name() const { return m_name; }
    const QString &summary() const { return m_summary; }

    // Whether the command opens a window (and so needs QApplication and a display).
    virtual bool needsGui(const QStringList &arguments) const;
    // What to print instead of opening a window when there is no display: how to do the
    // same without one.
    virtual QString headlessHint() const;

    // arguments[0] is the program name, followed by this command's one or two words.
    int execute(const QStringList &arguments);

protected:
    virtual void configure(QCommandLineParser &parser) = 0;
    virtual int run(const QCommandLineParser &parser) = 0;

    // Prints "imprint <name>: <message>" and a hint to --help; returns ExitUsage.
    int usageError(const QString &message) const;
    // Prints "imprint <name>: error: <message>"; returns ExitFailed.
    int failure(const QString &message) const;

    QString commandPath() const;

private:
    QString m_name;
    QString m_summary;
};
