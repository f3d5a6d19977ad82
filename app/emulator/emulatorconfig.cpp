#include "emulatorconfig.h"

#include <limits>

namespace pagewise
{

QString emulatorUsage()
{
    return QStringLiteral(
        "Usage: pagewise-emulator [options]\n"
        "A local emulator of SageMaker ListImages, Personalize ListDatasets and Deadline Cloud ListSessions.\n"
        "\n"
        "  --host ADDRESS          address to bind (default 127.0.0.1)\n"
        "  --port N                port, 0 picks a free one (default 0)\n"
        "  --seed N                seed of the generated data (default 1)\n"
        "  --images N              images in total (default 3000)\n"
        "  --dataset-groups N      dataset groups (default 8)\n"
        "  --datasets N            datasets in total, spread over the groups (default 2000)\n"
        "  --farms N               farms (default 3)\n"
        "  --queues-per-farm N     queues in each farm (default 2)\n"
        "  --jobs-per-queue N      jobs in each queue (default 4)\n"
        "  --sessions N            sessions in total, spread over the jobs (default 20000)\n"
        "  --catalog FILE          write the seeded dataset groups and farm/queue/job IDs as JSON\n"
        "  --data FILE             serve the resources of this JSON file instead of generated ones\n"
        "  --access-key ID         accepted access key id (default AKIDEXAMPLE)\n"
        "  --secret-key KEY        its secret (default the AWS documentation example)\n"
        "  --no-auth               do not verify SigV4 signatures\n"
        "  --tls-cert PEM          serve HTTPS with this certificate (needs --tls-key)\n"
        "  --tls-key PEM           private key of --tls-cert\n"
        "  --latency-ms N          delay every response by N ms\n"
        "  --jitter-ms N           plus up to N ms at random\n"
        "  --throttle-rate P       share of requests throttled, 0..1\n"
        "  --error-rate P          share answered with HTTP 500/503, 0..1\n"
        "  --drop-rate P           share whose connection drops mid-response, 0..1\n"
        "  --malformed-rate P      share answered 200 with a malformed JSON body, 0..1\n"
        "  --fault-seed N          seed of the fault draws (default 1)\n"
        "  --help                  show this text\n");
}

std::optional<EmulatorConfig> parseEmulatorArguments(const QStringList &arguments, QString *error, bool *helpRequested)
{
    EmulatorConfig config;
    if (helpRequested)
        *helpRequested = false;
    qsizetype i = 0;
    QString flag;
    const auto value = [&](QString *out) {
        if (i + 1 >= arguments.size()) {
            *error = QStringLiteral("%1 needs a value").arg(flag);
            return false;
        }
        *out = arguments.at(++i);
        return true;
    };
    // The flag's value through convert(text, &ok); `accepted` words what it accepts.
    const auto parsed = [&](auto convert, const QString &accepted, auto *out) {
        QString text;
        if (!value(&text))
            return false;
        bool ok = false;
        const auto converted = convert(text, &ok);
        if (!ok) {
            *error = QStringLiteral("%1 accepts %2, not '%3'").arg(flag, accepted, text);
            return false;
        }
        *out = converted;
        return true;
    };
    const auto integer = [&](qint64 min, qint64 max, qint64 *out) {
        const auto inRange = [min, max](const QString &text, bool *ok) {
            const qint64 number = text.toLongLong(ok);
            *ok = *ok && number >= min && number <= max;
            return number;
        };
        return parsed(inRange, QStringLiteral("a whole number from %1 to %2").arg(min).arg(max), out);
    };
    const auto count = [&](int *out) {
        qint64 number = 0;
        if (!integer(0, 100000000, &number))
            return false;
        *out = int(number);
        return true;
    };
    const auto rate = [&](double *out) {
        const auto probability = [](const QString &text, bool *ok) {
            const double number = text.toDouble(ok);
            *ok = *ok && number >= 0.0 && number <= 1.0;
            return number;
        };
        return parsed(probability, QStringLiteral("a probability from 0 to 1"), out);
    };
    const auto seed = [&](quint64 *out) {
        const auto nonNegative = [](const QString &text, bool *ok) { return text.toULongLong(ok); };
        return parsed(nonNegative, QStringLiteral("a non-negative whole number"), out);
    };

    for (; i < arguments.size(); ++i) {
        QString argument = arguments.at(i);
        // --flag=value is accepted too.
        const qsizetype eq = argument.startsWith(QLatin1String("--")) ? argument.indexOf(QLatin1Char('=')) : -1;
        QStringList expanded = arguments;
        if (eq > 0) {
            flag = argument.left(eq);
            expanded = arguments.mid(0, i) + QStringList {flag, argument.mid(eq + 1)} + arguments.mid(i + 1);
            return parseEmulatorArguments(expanded, error, helpRequested);
        }
        flag = argument;
        qint64 number = 0;
        bool ok = true;
        if (flag == QLatin1String("--help") || flag == QLatin1String("-h")) {
            if (helpRequested)
                *helpRequested = true;
            return config;
        } else if (flag == QLatin1String("--host")) {
            ok = value(&config.host);
        } else if (flag == QLatin1String("--port")) {
            ok = integer(0, 65535, &number);
            config.port = quint16(number);
        } else if (flag == QLatin1String("--seed")) {
            ok = seed(&config.data.seed);
        } else if (flag == QLatin1String("--images")) {
            ok = count(&config.data.images);
        } else if (flag == QLatin1String("--dataset-groups")) {
            ok = count(&config.data.datasetGroups);
        } else if (flag == QLatin1String("--datasets")) {
            ok = count(&config.data.datasets);
        } else if (flag == QLatin1String("--farms")) {
            ok = count(&config.data.farms);
        } else if (flag == QLatin1String("--queues-per-farm")) {
            ok = count(&config.data.queuesPerFarm);
        } else if (flag == QLatin1String("--jobs-per-queue")) {
            ok = count(&config.data.jobsPerQueue);
        } else if (flag == QLatin1String("--sessions")) {
            ok = count(&config.data.sessions);
        } else if (flag == QLatin1String("--catalog")) {
            ok = value(&config.catalogFile);
        } else if (flag == QLatin1String("--data")) {
            ok = value(&config.dataFile);
        } else if (flag == QLatin1String("--access-key")) {
            ok = value(&config.accessKeyId);
        } else if (flag == QLatin1String("--secret-key")) {
            ok = value(&config.secretAccessKey);
        } else if (flag == QLatin1String("--no-auth")) {
            config.requireAuth = false;
        } else if (flag == QLatin1String("--tls-cert")) {
            ok = value(&config.tlsCertificateFile);
        } else if (flag == QLatin1String("--tls-key")) {
            ok = value(&config.tlsKeyFile);
        } else if (flag == QLatin1String("--latency-ms")) {
            ok = integer(0, 600000, &number);
            config.faults.latencyMs = int(number);
        } else if (flag == QLatin1String("--jitter-ms")) {
            ok = integer(0, 600000, &number);
            config.faults.jitterMs = int(number);
        } else if (flag == QLatin1String("--throttle-rate")) {
            ok = rate(&config.faults.throttleRate);
        } else if (flag == QLatin1String("--error-rate")) {
            ok = rate(&config.faults.errorRate);
        } else if (flag == QLatin1String("--drop-rate")) {
            ok = rate(&config.faults.dropRate);
        } else if (flag == QLatin1String("--malformed-rate")) {
            ok = rate(&config.faults.malformedRate);
        } else if (flag == QLatin1String("--fault-seed")) {
            ok = seed(&config.faults.faultSeed);
        } else {
            *error = QStringLiteral("unknown option '%1' (see --help for the accepted options)").arg(flag);
            return std::nullopt;
        }
        if (!ok)
            return std::nullopt;
    }
    if (config.tlsCertificateFile.isEmpty() != config.tlsKeyFile.isEmpty()) {
        *error = QStringLiteral("--tls-cert and --tls-key must be given together (PEM certificate and its key)");
        return std::nullopt;
    }
    if (config.accessKeyId.isEmpty() || config.secretAccessKey.isEmpty()) {
        *error = QStringLiteral("--access-key and --secret-key accept non-empty values");
        return std::nullopt;
    }
    return config;
}

} // namespace pagewise
