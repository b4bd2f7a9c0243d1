#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace imprint::testing {

// A real `imprint serve` on 127.0.0.1 and a free port, with its CA and SQLite registry in a
// temporary directory (or the database URL given), for end-to-end tests. Time can be moved
// forward for the service and any command run with environment() through a clock-offset file.
class ServeProcess {
public:
    struct Options {
        QStringList secrets{QStringLiteral("test-build-secret")};
        QString databaseUrl; // empty: SQLite in the temporary directory
        QStringList extraArguments;
        quint16 port = 0; // 0: any free port; a fixed one survives a stop and a restart
    };

    ServeProcess();
    explicit ServeProcess(Options options);
    ~ServeProcess();

    // Starts the service and waits until it listens; false with errorText() if it did not.
    // May be called again after stop(): the same CA and registry, the same port if fixed.
    bool start();
    // SIGTERM and wait; returns the exit code (-1 if it crashed or hung).
    int stop();

    QString url() const { return m_url; }
    quint16 port() const { return m_port; }
    QString caDir() const;
    QString caFile() const;
    QString caPin() const { return m_pin; }
    QString databaseUrl() const;
    QString secretFile() const;
    QString directory() const { return m_dir.path(); }
    // Everything the service printed so far (the access log among it).
    QString output();
    QString errorText() const { return m_error; }

    // Moves the clock of the service (and of anything run with environment()) forward.
    void setClockOffsetSeconds(qint64 seconds);
    QProcessEnvironment environment() const;

private:
    Options m_options;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QString m_url;
    quint16 m_port = 0;
    QString m_pin;
    QString m_output;
    QString m_error;
};

} // namespace imprint::testing
