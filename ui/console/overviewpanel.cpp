#include "overviewpanel.h"

#include "console/devicefilteroptions.h"
#include "console/devicetablemodel.h"
#include "storage/registry.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPieSeries>
#include <QPieSlice>
#include <QValueAxis>
#include <QVBoxLayout>

namespace imprint::console {

OverviewPanel::OverviewPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("overviewSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    auto *charts = new QHBoxLayout;
    m_expiryView = new QChartView(this);
    m_expiryView->setObjectName(QStringLiteral("expiryChart"));
    m_expiryView->setRenderHint(QPainter::Antialiasing);
    m_statusView = new QChartView(this);
    m_statusView->setObjectName(QStringLiteral("statusChart"));
    m_statusView->setRenderHint(QPainter::Antialiasing);
    charts->addWidget(m_expiryView, 3);
    charts->addWidget(m_statusView, 1);
    layout->addLayout(charts, 1);
}

bool OverviewPanel::refresh(storage::Registry &registry, const QDateTime &now, qint64 renewalThresholdSeconds,
                            QString *error)
{
    auto weeks = registry.expiriesPerWeek(now, kWeeks);
    auto counts = registry.countByStatus();
    auto expired = registry.countDevices(makeDeviceFilter(StatusFilter::Expired, {}, now, renewalThresholdSeconds));
    auto due = registry.countDevices(makeDeviceFilter(StatusFilter::ExpiringSoon, {}, now, renewalThresholdSeconds));
    for (const QString *failure : {weeks ? nullptr : &weeks.errorMessage(), counts ? nullptr : &counts.errorMessage(),
                                   expired ? nullptr : &expired.errorMessage(), due ? nullptr : &due.errorMessage()}) {
        if (failure) {
            if (error)
                *error = *failure;
            return false;
        }
    }
    m_weeks = weeks.value();
    m_counts = counts.value();
    m_expired = expired.value();
    m_renewalDue = due.value();
    rebuildCharts();
    return true;
}

void OverviewPanel::rebuildCharts()
{
    const qint64 active = m_counts.value(QStringLiteral("active"));
    const qint64 revoked = m_counts.value(QStringLiteral("revoked"));
    const qint64 pending = m_counts.value(QStringLiteral("pending"));
    m_summary->setText(tr("%1 active, %2 revoked, %3 pending. Of the active devices, %4 have expired and %5 are "
                          "within the renewal threshold.")
                           .arg(active)
                           .arg(revoked)
                           .arg(pending)
                           .arg(m_expired)
                           .arg(m_renewalDue));

    // Charts are rebuilt rather than updated: a few dozen bars, and no stale axes.
    auto *expiries = new QChart;
    expiries->setTitle(tr("Certificates expiring per week"));
    expiries->legend()->hide();
    expiries->setAnimationOptions(QChart::NoAnimation);
    auto *set = new QBarSet(tr("Expiring"));
    QStringList categories;
    qint64 highest = 0;
    for (const auto &[week, count] : std::as_const(m_weeks)) {
        *set << qreal(count);
        categories << QLocale().toString(week, QStringLiteral("MM-dd"));
        highest = std::max(highest, count);
    }
    auto *series = new QBarSeries;
    series->append(set);
    expiries->addSeries(series);
    auto *weeksAxis = new QBarCategoryAxis;
    weeksAxis->append(categories);
    weeksAxis->setTitleText(tr("Week starting"));
    weeksAxis->setLabelsAngle(-90);
    expiries->addAxis(weeksAxis, Qt::AlignBottom);
    series->attachAxis(weeksAxis);
    auto *countAxis = new QValueAxis;
    countAxis->setLabelFormat(QStringLiteral("%d"));
    countAxis->setRange(0, qreal(std::max<qint64>(highest, 1)));
    countAxis->applyNiceNumbers();
    countAxis->setTitleText(tr("Devices"));
    expiries->addAxis(countAxis, Qt::AlignLeft);
    series->attachAxis(countAxis);
    QChart *oldExpiries = m_expiryView->chart();
    m_expiryView->setChart(expiries);
    delete oldExpiries;

    auto *statuses = new QChart;
    statuses->setTitle(tr("Devices by status"));
    statuses->setAnimationOptions(QChart::NoAnimation);
    auto *pie = new QPieSeries;
    const struct {
        QString label;
        qint64 count;
        QColor colour;
    } slices[] = {
        {tr("valid"), std::max<qint64>(active - m_expired - m_renewalDue, 0), QColor(0x4c, 0xaf, 0x50)},
        {tr("renewal due"), m_renewalDue, QColor(0xff, 0xb3, 0x00)},
        {tr("expired"), m_expired, QColor(0xe5, 0x39, 0x35)},
        {tr("revoked"), revoked, QColor(0x75, 0x75, 0x75)},
        {tr("pending"), pending, QColor(0x1e, 0x88, 0xe5)},
    };
    for (const auto &slice : slices) {
        auto *pieSlice = pie->append(QStringLiteral("%1: %2").arg(slice.label).arg(slice.count), qreal(slice.count));
        pieSlice->setColor(slice.colour);
    }
    statuses->addSeries(pie);
    statuses->legend()->setAlignment(Qt::AlignBottom);
    QChart *oldStatuses = m_statusView->chart();
    m_statusView->setChart(statuses);
    delete oldStatuses;
}

} // namespace imprint::console
