// StartingToken text as a user pastes it: PageToken::decode, and for every token it accepts,
// encode() then decode() gives the same token back. Input: one flags byte (bit 0: the input token
// name, bit 1: base64-encode the rest first, so the fuzzer can reach the JSON inside botocore
// tokens), then the text (UTF-8).
#include "fuzzcheck.h"
#include "paging/pagetoken.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include <cstdint>

using namespace pagewise;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const QString inputTokens[] = {QStringLiteral("NextToken"), QStringLiteral("nextToken")};
    const QString &inputToken = inputTokens[data[0] % 2];
    const QByteArray rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const bool encodeFirst = data[0] & 2;
    const QString text = encodeFirst ? QString::fromLatin1(rest.toBase64()) : QString::fromUtf8(rest);

    const Result<PageToken> decoded = PageToken::decode(inputToken, text);
    if (!decoded.ok()) {
        const AwsError &error = decoded.error();
        FUZZ_CHECK(error.kind == AwsError::Kind::Pagination);
        FUZZ_CHECK(error.parameter == QLatin1String("StartingToken"));
        FUZZ_CHECK(!error.message.isEmpty());
        return 0;
    }
    const PageToken &token = decoded.value();
    if (token.truncateAmount)
        FUZZ_CHECK(*token.truncateAmount >= 0);

    if (!token.raw) {
        const QString encoded = token.encode(inputToken);
        const Result<PageToken> again = PageToken::decode(inputToken, encoded);
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(!again.value().raw);
        FUZZ_CHECK(again.value() == token);
    }

    // json.dumps of any string is JSON that reads back as that string.
    const QByteArray quoted = PageToken::pythonJsonString(text);
    const QJsonDocument document = QJsonDocument::fromJson("[" + quoted + "]");
    FUZZ_CHECK(document.isArray());
    FUZZ_CHECK(document.array().at(0).toString() == text);
    for (const char c : quoted)
        FUZZ_CHECK(c >= 0x20 && c <= 0x7e);
    return 0;
}
