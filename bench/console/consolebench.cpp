// imprint-consolebench: how the console's devices table behaves over a large registry.
// Fills the registry first if it holds fewer devices than asked (imprint-registryfill
// does the same alone), then measures, in one process and one run:
//   open      Registry::open and the model's first query (count + first page)
//   window    the console window opened on it and painted once
//   scroll    scrolling the table to the end, page by page (each step fetches a page)
//   sort      re-query per sortable column, both orders
//   search    typical searches; filter: each status choice
//   refresh   the periodic re-read, with one page loaded and with every row loaded
//   export    CSV of the whole registry
// Run with QT_QPA_PLATFORM=offscreen; see docs/BENCHMARKS.md for the figures.
#include "support/fleetgenerator.h"

#include "common/clock.h"
#include "console/consolewindow.h"
#include "console/csvexport.h"
#include "console/devicetablemodel.h"
#include "storage/databaseurl.h"
#include "storage/registry.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QSysInfo>
#include <QTableView>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace imprint;

namespace {

struct Series {
    std::vector<double> ms;
    void add(double value) { ms.push_back(value); }
    double quantile(double q) const
    {
        if (ms.empty())
            return 0;
        std::vector<double> sorted = ms;
        std::sort(sorted.begin(), sorted.end());
        return sorted[std::min(sorted.size() - 1, size_t(q * double(sorted.size() - 1) + 0.5))];
    }
    double max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
    double sum() const
    {
        double total = 0;
        for (double v : ms)
            total += v;
        return total;
    }
};

double msSince(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

void row(const char *what, const Series &series, const QString &note = {})
{
    std::printf("| %-34s | %9.1f | %9.1f | %9.1f | %s\n", what, series.quantile(0.5), series.quantile(0.99), series.max(),
                qPrintable(note));
}

template <typename F>
Series repeat(int times, F &&work)
{
    Series series;
    for (int i = 0; i < times; ++i) {
        QElapsedTimer timer;
        timer.start();
        work();
        series.add(msSince(timer));
    }
    return series;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measure the console's devices table over a large registry."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("db"), QStringLiteral("Registry URL (default: a temporary SQLite file)."),
                      QStringLiteral("URL")});
    parser.addOption({QStringLiteral("devices"), QStringLiteral("Devices in the registry (default 100000)."),
                      QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("repeat"), QStringLiteral("Repetitions per query (default 5)."),
                      QStringLiteral("N"), QStringLiteral("5")});
    parser.process(app);

    QTemporaryDir temporary;
    const QString databaseText = parser.isSet(QStringLiteral("db"))
        ? parser.value(QStringLiteral("db"))
        : QStringLiteral("sqlite://") + temporary.filePath(QStringLiteral("registry.db"));
    const int devices = parser.value(QStringLiteral("devices")).toInt();
    const int times = std::max(1, parser.value(QStringLiteral("repeat")).toInt());
    auto url = storage::parseDatabaseUrl(databaseText);
    if (!url) {
        std::fprintf(stderr, "%s\n", qPrintable(url.errorMessage()));
        return 2;
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    {
        auto registry = storage::Registry::open(url.value(), QStringLiteral("fill"));
        if (!registry) {
            std::fprintf(stderr, "%s\n", qPrintable(registry.errorMessage()));
            return 1;
        }
        auto count = registry.value()->countDevices({});
        if (!count) {
            std::fprintf(stderr, "%s\n", qPrintable(count.errorMessage()));
            return 1;
        }
        if (count.value() < devices) {
            testing::FleetOptions options;
            options.devices = int(devices - count.value());
            options.seed = quint64(count.value()) + 1;
            options.now = now;
            QElapsedTimer timer;
            timer.start();
            const Status filled = testing::generateFleet(*registry.value(), options, [](int written) {
                std::fprintf(stderr, "\rfilling: %d", written);
            });
            std::fprintf(stderr, "\n");
            if (!filled) {
                std::fprintf(stderr, "%s\n", qPrintable(filled.errorMessage()));
                return 1;
            }
            std::printf("filled %d devices in %.1f s (one transaction each, as the service writes)\n",
                        options.devices, msSince(timer) / 1000.0);
        }
    }

    std::printf("registry: %s, %d devices; %s; Qt %s\n\n", qPrintable(url->display()), devices,
                qPrintable(QSysInfo::prettyProductName()), qVersion());
    std::printf("| %-34s | %9s | %9s | %9s | notes\n", "operation (ms)", "p50", "p99", "max");
    std::printf("|%s|%s|%s|%s|---\n", "------------------------------------", "-----------", "-----------",
                "-----------");

    ManualClock clock(now);

    // open: a fresh connection and the first query, as when the console starts.
    {
        Series open = repeat(times, [&] {
            auto registry = storage::Registry::open(url.value(), QStringLiteral("bench-open"));
            console::DeviceTableModel model(*registry.value(), clock);
            model.reload();
        });
        row("open registry + first page", open);
    }

    console::ConsoleWindow window(clock);
    console::ConsoleWindow::Options options;
    options.refreshIntervalMs = 0;
    options.rememberLocations = false;
    window.setOptions(options);
    {
        QElapsedTimer timer;
        timer.start();
        QString error;
        if (!window.openRegistry(databaseText, &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        window.resize(1280, 800);
        window.show();
        QCoreApplication::processEvents();
        window.grab();
        Series shown;
        shown.add(msSince(timer));
        row("window opened and painted", shown);
    }

    console::DeviceTableModel *model = window.model();
    QTableView *table = window.tableView();
    {
        // Scrolling to the end: every step moves to the bottom of what is loaded, which
        // makes the view fetch the next page.
        Series steps;
        QElapsedTimer total;
        total.start();
        while (model->canFetchMore({})) {
            QElapsedTimer timer;
            timer.start();
            table->verticalScrollBar()->setValue(table->verticalScrollBar()->maximum());
            QCoreApplication::processEvents();
            table->viewport()->repaint();
            steps.add(msSince(timer));
            if (steps.ms.size() > size_t(devices)) // a model that never stops fetching
                break;
        }
        row("scroll one page (fetch + paint)", steps,
            QStringLiteral("%1 pages of %2 rows, %3 s to reach row %4")
                .arg(steps.ms.size())
                .arg(model->pageSize())
                .arg(msSince(total) / 1000.0, 0, 'f', 1)
                .arg(model->rowCount()));
        Series refreshAll = repeat(times, [&] { model->refresh(); });
        row("refresh, all rows loaded", refreshAll, QStringLiteral("%1 rows").arg(model->rowCount()));
    }

    {
        Series worst;
        QString worstColumn;
        double worstValue = 0;
        for (int column = 0; column < console::DeviceTableModel::ColumnCount; ++column) {
            for (Qt::SortOrder order : {Qt::DescendingOrder, Qt::AscendingOrder}) {
                Series sort = repeat(times, [&] {
                    model->sort(column, order == Qt::AscendingOrder ? Qt::DescendingOrder : Qt::AscendingOrder);
                    model->sort(column, order);
                });
                for (double &v : sort.ms)
                    v /= 2;
                const QString name = model->headerData(column, Qt::Horizontal).toString()
                    + (order == Qt::AscendingOrder ? QStringLiteral(" asc") : QStringLiteral(" desc"));
                row(qPrintable(QStringLiteral("sort: ") + name), sort);
                if (sort.quantile(0.5) > worstValue) {
                    worstValue = sort.quantile(0.5);
                    worstColumn = name;
                }
            }
        }
        model->sort(console::DeviceTableModel::HostnameColumn, Qt::AscendingOrder);
    }

    {
        const QString someSerial = model->deviceAt(model->rowCount() / 2)->currentSerial;
        const struct {
            const char *name;
            QString text;
        } searches[] = {
            {"search: host name substring", QStringLiteral("berlin-0001")},
            {"search: exact serial", someSerial},
            {"search: no match", QStringLiteral("no-such-device")},
        };
        for (const auto &search : searches) {
            Series series = repeat(times, [&] {
                model->setSearch(QString());
                model->setSearch(search.text);
            });
            row(search.name, series, QStringLiteral("%1 matches (includes resetting the search)").arg(model->totalCount()));
        }
        model->setSearch(QString());
        const struct {
            const char *name;
            console::StatusFilter filter;
        } filters[] = {
            {"filter: active", console::StatusFilter::Active},
            {"filter: revoked", console::StatusFilter::Revoked},
            {"filter: expiring soon", console::StatusFilter::ExpiringSoon},
            {"filter: expired", console::StatusFilter::Expired},
        };
        for (const auto &filter : filters) {
            Series series = repeat(times, [&] {
                model->setStatusFilter(console::StatusFilter::All);
                model->setStatusFilter(filter.filter);
            });
            row(filter.name, series, QStringLiteral("%1 matches (includes resetting the filter)").arg(model->totalCount()));
        }
        model->setStatusFilter(console::StatusFilter::All);
        Series refreshPage = repeat(times, [&] { model->refresh(); });
        row("refresh, one page loaded", refreshPage, QStringLiteral("%1 rows").arg(model->rowCount()));
    }

    {
        QByteArray csv;
        Series exported = repeat(1, [&] { csv = console::devicesCsv(*window.registry(), model->currentFilter()).value(); });
        row("CSV export, whole registry", exported, QStringLiteral("%1 MiB").arg(double(csv.size()) / (1 << 20), 0, 'f', 1));
    }
    return 0;
}
