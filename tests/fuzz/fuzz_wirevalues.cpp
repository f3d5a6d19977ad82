// Timestamps as services send them (epoch numbers, ISO 8601, RFC 822): whatever
// parseWireTimestampMs accepts formats as ISO UTC that parses back to the same instant. Eight
// bytes are also an instant in milliseconds: formatIsoUtc writes it as QDateTime does, or
// nothing outside years 0 to 9999.
#include "export/wirevalues.h"
#include "fuzzcheck.h"

#include <QDateTime>
#include <QJsonValue>

#include <cstdint>
#include <cstring>

using namespace pagewise;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const std::optional<qint64> fromText = parseWireTimestampMs(QStringView(text));
    if (fromText) {
        const QString iso = formatIsoUtc(*fromText);
        FUZZ_CHECK(!iso.isEmpty());
        FUZZ_CHECK(parseWireTimestampMs(QStringView(iso)) == fromText);
        FUZZ_CHECK(parseWireTimestampMs(QJsonValue(text)) == fromText);
    }

    // The same bytes as a JSON number (epoch seconds).
    if (size == sizeof(double)) {
        double seconds = 0;
        std::memcpy(&seconds, data, sizeof seconds);
        const std::optional<qint64> fromNumber = parseWireTimestampMs(QJsonValue(seconds));
        if (fromNumber)
            FUZZ_CHECK(parseWireTimestampMs(QStringView(formatIsoUtc(*fromNumber))) == fromNumber);
        epochSecondsToMs(seconds);

        qint64 ms = 0;
        std::memcpy(&ms, data, sizeof ms);
        const QString iso = formatIsoUtc(ms);
        const qint64 yearZero = -62167219200000; // 0000-01-01T00:00:00Z
        const qint64 afterYear9999 = 253402300800000; // 10000-01-01T00:00:00Z
        FUZZ_CHECK(iso.isEmpty() == (ms < yearZero || ms >= afterYear9999));
        if (ms >= yearZero + 366 * qint64(86'400'000) && ms < afterYear9999) { // from year 1: QDateTime has no year 0
            const QDateTime reference = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
            QString expected = reference.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
            if (ms % 1000 != 0)
                expected += reference.toString(QStringLiteral(".zzz"));
            FUZZ_CHECK(iso == expected + QLatin1Char('Z'));
            FUZZ_CHECK(parseWireTimestampMs(QStringView(iso)) == std::optional<qint64>(ms));
        }
    }
    return 0;
}
