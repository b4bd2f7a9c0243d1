#include "wizardcommand.h"

#include "commonoptions.h"
#include "deviceoptions.h"

#ifdef IMPRINT_WITH_UI
#include "common/clock.h"
#include "wizard/enrollmentwizard.h"
#include "wizard/headlesswizard.h"
#include "wizard/resultpage.h"

#include <QTextStream>

#include <cstdio>
#endif

WizardCommand::WizardCommand()
    : Command(QStringLiteral("wizard"),
              QStringLiteral("Enroll this device step by step: a window, or the same steps with --headless."))
{
}

bool WizardCommand::needsGui(const QStringList &arguments) const
{
    for (const QString &argument : arguments) {
        if (argument == QLatin1String("--headless") || argument == QLatin1String("--help")
            || argument == QLatin1String("-h"))
            return false;
    }
    return true;
}

QString WizardCommand::headlessHint() const
{
    return QStringLiteral("Run the same steps on the terminal with 'imprint wizard --headless --url URL --ca-pin PIN "
                          "--secret-file FILE' (the same flags as 'imprint enroll').\n");
}

void WizardCommand::configure(QCommandLineParser &parser)
{
    deviceoptions::add(parser, deviceoptions::Service | deviceoptions::Trust | deviceoptions::Secret
                                   | deviceoptions::Store | deviceoptions::Identity);
    parser.addOption(QCommandLineOption(QStringLiteral("fullscreen"),
                                        QStringLiteral("Fill the screen (for kiosks and touch screens).")));
    parser.addOption(QCommandLineOption(QStringLiteral("headless"),
                                        QStringLiteral("No window: print the wizard's steps on the terminal; --url "
                                                       "and a build secret are then required.")));
}

int WizardCommand::run(const QCommandLineParser &parser)
{
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));
    const bool headless = parser.isSet(QStringLiteral("headless"));
    if (headless && parser.isSet(QStringLiteral("fullscreen")))
        return usageError(QStringLiteral("--fullscreen is for the window, not --headless"));
    if (parser.isSet(QStringLiteral("ca-pin")) && parser.isSet(QStringLiteral("ca-file")))
        return usageError(QStringLiteral("give either --ca-pin or --ca-file, not both"));
    if (parser.values(commonoptions::secretFileOption()).size() + parser.values(commonoptions::secretOption()).size()
        > 1)
        return usageError(QStringLiteral("a device sends one build secret: give one --secret-file or --secret"));
#ifndef IMPRINT_WITH_UI
    return failure(QStringLiteral("this build of imprint has no wizard; use 'imprint enroll'"));
#else
    imprint::wizard::WizardInputs inputs;
    inputs.url = parser.value(QStringLiteral("url"));
    inputs.caPin = parser.value(QStringLiteral("ca-pin"));
    inputs.caFile = parser.value(QStringLiteral("ca-file"));
    inputs.storeDirectory = deviceoptions::storeDirectory(parser);
    inputs.persistDirectory = parser.value(QStringLiteral("persist-dir"));
    inputs.root = parser.value(QStringLiteral("root"));
    inputs.hostname = parser.value(QStringLiteral("hostname"));
    inputs.secretFile = parser.value(commonoptions::secretFileOption());
    inputs.secret = parser.value(commonoptions::secretOption()).toUtf8();
    if (inputs.secret.isEmpty() && inputs.secretFile.isEmpty())
        inputs.secret = qgetenv("IMPRINT_BUILD_SECRET");

    if (headless) {
        if (inputs.url.isEmpty())
            return usageError(QStringLiteral("--url is required with --headless, e.g. --url https://ca.example:8443"));
        if (inputs.secret.isEmpty() && inputs.secretFile.isEmpty())
            return usageError(QStringLiteral("no build secret: ") + QLatin1String(commonoptions::kBuildSecretHelp));
        QTextStream out(stdout);
        QTextStream err(stderr);
        return imprint::wizard::HeadlessWizard(inputs, imprint::processClock(), out, err).run() == 0 ? ExitOk
                                                                                                    : ExitFailed;
    }

    imprint::wizard::EnrollmentWizard wizard(inputs, imprint::processClock());
    if (parser.isSet(QStringLiteral("fullscreen")))
        wizard.setWindowState(Qt::WindowFullScreen);
    const bool finished = wizard.exec() == QDialog::Accepted;
    return finished && wizard.resultPage()->succeeded() ? ExitOk : ExitFailed;
#endif
}
