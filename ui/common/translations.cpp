#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QList>
#include <QSet>
#include <QTranslator>

#include <memory>

namespace imprint::ui {

namespace {

// Owned here rather than parented to the application so that removeTranslators() can
// take them out again; they live as long as the process.
std::vector<std::unique_ptr<QTranslator>> &installed()
{
    static std::vector<std::unique_ptr<QTranslator>> translators;
    return translators;
}

bool install(QCoreApplication &app, const QLocale &locale, const QString &catalog, const QString &directory)
{
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(locale, catalog, QStringLiteral("_"), directory))
        return false;
    app.installTranslator(translator.get());
    installed().push_back(std::move(translator));
    return true;
}

} // namespace

QStringList installTranslators(QCoreApplication &app, const QLocale &locale)
{
    removeTranslators(app);
    QStringList loaded;
    const QString qtDirectory = QLibraryInfo::path(QLibraryInfo::TranslationsPath);
    for (const QString &catalog : {QStringLiteral("qtbase")}) {
        if (install(app, locale, catalog, qtDirectory))
            loaded << catalog;
    }
    // Catalogs are named <catalog>_<language>.qm; every window library adds its own.
    QSet<QString> catalogs;
    const QStringList files = QDir(QStringLiteral(":/i18n")).entryList({QStringLiteral("*.qm")}, QDir::Files);
    for (const QString &file : files)
        catalogs.insert(file.section(QLatin1Char('_'), 0, -2));
    QStringList sorted(catalogs.begin(), catalogs.end());
    sorted.sort();
    // English plural forms first, so that the language's own catalog, installed later,
    // is searched before them.
    for (const QString &catalog : sorted)
        install(app, QLocale(QLocale::English), catalog, QStringLiteral(":/i18n"));
    if (locale.language() != QLocale::English && locale.language() != QLocale::C) {
        for (const QString &catalog : sorted) {
            if (install(app, locale, catalog, QStringLiteral(":/i18n")))
                loaded << catalog;
        }
    }
    return loaded;
}

void removeTranslators(QCoreApplication &app)
{
    for (const auto &translator : installed())
        app.removeTranslator(translator.get());
    installed().clear();
}

} // namespace imprint::ui
