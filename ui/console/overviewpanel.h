#pragma once

#include <QDate>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPair>
#include <QWidget>

class QChart;
class QChartView;
class QLabel;

namespace imprint::storage {
class Registry;
}

namespace imprint::console {

// The fleet at a glance: active certificates expiring per week over the coming months
// (a renewal cliff shows as a tall bar) and the number of devices by status.
class OverviewPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int kWeeks = 26;

    explicit OverviewPanel(QWidget *parent = nullptr);

    // Re-reads the figures; false with `error` if the registry could not be read.
    bool refresh(storage::Registry &registry, const QDateTime &now, qint64 renewalThresholdSeconds,
                 QString *error = nullptr);

    const QList<QPair<QDate, qint64>> &expiriesPerWeek() const { return m_weeks; }
    const QHash<QString, qint64> &countsByStatus() const { return m_counts; }
    qint64 expiredCount() const { return m_expired; }
    qint64 renewalDueCount() const { return m_renewalDue; }

private:
    void rebuildCharts();

    QList<QPair<QDate, qint64>> m_weeks;
    QHash<QString, qint64> m_counts;
    qint64 m_expired = 0;
    qint64 m_renewalDue = 0;
    QLabel *m_summary = nullptr;
    QChartView *m_expiryView = nullptr;
    QChartView *m_statusView = nullptr;
};

} // namespace imprint::console
