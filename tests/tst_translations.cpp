// The translation catalogs in translations/: every message translated, with the same
// placeholders as its source, and every catalog compiled into the executable's
// resources so that the windows can load it.
#include "common/translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

namespace {

struct Message {
    QString context;
    QString source;
    QString translationType;
    QStringList translations; // one, or one per plural form
    bool numerus = false;
};

QList<Message> readCatalog(const QString &path, QString *error)
{
    QList<Message> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                current = Message{context, {}, {}, {}, xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes")};
            } else if (name == QLatin1String("source")) {
                current.source = xml.readElementText();
            } else if (name == QLatin1String("translation")) {
                current.translationType = xml.attributes().value(QLatin1String("type")).toString();
                if (!current.numerus)
                    current.translations << xml.readElementText();
            } else if (name == QLatin1String("numerusform")) {
                current.translations << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            messages << current;
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return messages;
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("%(\\d+|n)"));
    QSet<QString> found;
    for (const auto &match : pattern.globalMatch(text))
        found.insert(match.captured(0));
    return found;
}

QStringList catalogFiles()
{
    const QDir dir(QStringLiteral(IMPRINT_SOURCE_DIR "/translations"));
    QStringList files;
    for (const QString &name : dir.entryList({QStringLiteral("*.ts")}, QDir::Files))
        files << dir.filePath(name);
    return files;
}

} // namespace

class TestTranslations : public QObject {
    Q_OBJECT

private slots:
    void catalogsExist()
    {
        const QStringList files = catalogFiles();
        QVERIFY2(!files.isEmpty(), "no translations/*.ts");
        for (const QString &catalog : {QStringLiteral("imprint_common_de.ts")}) {
            QVERIFY2(files.contains(QStringLiteral(IMPRINT_SOURCE_DIR "/translations/") + catalog), qPrintable(catalog));
        }
    }

    void everyMessageTranslated_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString &file : catalogFiles())
            QTest::newRow(qPrintable(QFileInfo(file).fileName())) << file;
    }

    void everyMessageTranslated()
    {
        QFETCH(QString, path);
        QString error;
        const QList<Message> messages = readCatalog(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QStringList problems;
        for (const Message &message : messages) {
            const QString where = message.context + QLatin1String(": \"") + message.source + QLatin1Char('"');
            if (message.translationType == QLatin1String("unfinished")
                || message.translationType == QLatin1String("vanished")
                || message.translationType == QLatin1String("obsolete")) {
                problems << where + QLatin1String(" is ") + message.translationType;
                continue;
            }
            if (message.translations.isEmpty()) {
                problems << where + QLatin1String(" has no translation");
                continue;
            }
            for (const QString &translation : message.translations) {
                if (translation.trimmed().isEmpty()) {
                    problems << where + QLatin1String(" has an empty translation");
                } else if (placeholders(translation) != placeholders(message.source)) {
                    problems << where + QLatin1String(" has other placeholders: ") + translation;
                }
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    // Each catalog in translations/ is compiled in and loads for German.
    void compiledIn()
    {
        const QStringList loaded = imprint::ui::installTranslators(*QCoreApplication::instance(), QLocale(QLocale::German));
        imprint::ui::removeTranslators(*QCoreApplication::instance());
        for (const QString &file : catalogFiles()) {
            const QString catalog = QFileInfo(file).completeBaseName().section(QLatin1Char('_'), 0, -2);
            QVERIFY2(loaded.contains(catalog), qPrintable(catalog + QLatin1String(" not loaded; loaded: ") + loaded.join(QLatin1Char(' '))));
        }
    }

    void germanTextsAreUsed()
    {
        imprint::ui::installTranslators(*QCoreApplication::instance(), QLocale(QLocale::German));
        const QString text = QCoreApplication::translate("imprint::ui::Format", "never");
        imprint::ui::removeTranslators(*QCoreApplication::instance());
        QCOMPARE(text, QStringLiteral("nie"));
        QCOMPARE(QCoreApplication::translate("imprint::ui::Format", "never"), QStringLiteral("never"));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
