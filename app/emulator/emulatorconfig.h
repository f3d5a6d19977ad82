#pragma once

#include "emulatordataset.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace pagewise
{

/// Injected failures. Each rate is a probability in [0,1], drawn per request from faultSeed, so
/// the same sequence of requests meets the same faults. Faults never change the data: a retried
/// request gets the page it would have got.
struct EmulatorFaults {
    int latencyMs = 0; ///< added to every response (timers, never a blocking sleep)
    int jitterMs = 0; ///< plus a uniform extra delay in [0, jitterMs]
    double throttleRate = 0; ///< throttling as each service sends it
    double errorRate = 0; ///< HTTP 500 / 503
    double dropRate = 0; ///< headers and part of the body sent, then the connection is closed
    double malformedRate = 0; ///< HTTP 200 with a body that is not valid JSON
    quint64 faultSeed = 1;

    bool any() const
    {
        return latencyMs > 0 || jitterMs > 0 || throttleRate > 0 || errorRate > 0 || dropRate > 0 || malformedRate > 0;
    }
};

/// Everything `pagewise-emulator` accepts on its command line, as fields.
struct EmulatorConfig {
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0; ///< 0 picks a free port
    EmulatorDataSpec data; ///< seed and sizes of generated data
    QString catalogFile; ///< --catalog: where to write the seeded parents as JSON
    QString dataFile; ///< --data: load resources from this JSON file instead of generating them
    QString accessKeyId = QStringLiteral("AKIDEXAMPLE");
    QString secretAccessKey = QStringLiteral("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    bool requireAuth = true; ///< false with --no-auth
    QString tlsCertificateFile, tlsKeyFile; ///< PEM files; both set -> HTTPS
    EmulatorFaults faults;

    bool tls() const { return !tlsCertificateFile.isEmpty(); }
};

/// Parses pagewise-emulator's arguments (without the program name). On a bad flag returns
/// nullopt and sets *error to a message naming the flag and what it accepts; *helpRequested is
/// set for --help.
std::optional<EmulatorConfig> parseEmulatorArguments(
    const QStringList &arguments, QString *error, bool *helpRequested = nullptr);
/// The usage text printed by --help.
QString emulatorUsage();

} // namespace pagewise
