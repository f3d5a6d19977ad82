// Timestamps as services send them (epoch numbers, ISO 8601, RFC 822): whatever
// parseWireTimestampMs accepts formats as ISO UTC that parses back to the same instant.
#include "export/wirevalues.h"
#include "fuzzcheck.h"

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
    }
    return 0;
}
