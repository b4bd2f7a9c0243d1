// imprint-loadgen: load generator for Imprint-compatible enrollment services.
// See docs/BENCHMARKS.md and --help.

#include "options.h"
#include "report.h"
#include "runner.h"

#include <QStringList>

#include <cstdio>

using namespace imprint::bench;

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);

    if (arguments == QStringList{QStringLiteral("--markdown-header")}) {
        std::fputs(qPrintable(markdownHeader()), stdout);
        return 0;
    }
    auto options = parseOptions(arguments);
    if (!options) {
        std::fprintf(stderr, "imprint-loadgen: %s\n", qPrintable(options.errorMessage()));
        return 1;
    }
    if (options->help) {
        std::fputs(qPrintable(usageText()), stdout);
        return 0;
    }

    auto report = runBenchmark(*options);
    if (!report) {
        std::fprintf(stderr, "imprint-loadgen: %s\n", qPrintable(report.errorMessage()));
        return 1;
    }
    QString out;
    switch (options->format) {
    case OutputFormat::Text:
        out = formatText(*report);
        break;
    case OutputFormat::Json:
        out = formatJson(*report);
        break;
    case OutputFormat::Markdown:
        out = formatMarkdownRow(*report);
        break;
    }
    std::fputs(out.toUtf8().constData(), stdout);
    // 2: the run completed but some requests failed (the report says which).
    return report->summary.failed > 0 ? 2 : 0;
}
