// The list responses of ListImages, ListDatasets and ListSessions as a service could send them:
// OperationCodec::decode, then the decoded items through CSV export, then the next request built
// from the received token; the read-ahead guess at the token. Input: one byte choosing the kind
// and page number, then the body.
//
// Differential: every body is decoded in both modes (Qt's parser, and simdjson with decodeRaw),
// which must agree on everything (error, token, items) and write the same CSV bytes.
#include "export/csvwriter.h"
#include "export/exportrows.h"
#include "export/rawexportrows.h"
#include "fuzzcheck.h"
#include "kinds/resourcekind.h"
#include "paging/operationcodec.h"
#include "paging/rawpage.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

#include <cstdint>

using namespace pagewise;

namespace
{

/// The token as the next request carries it (awsJson body member or restJson query value).
QString sentToken(const ResourceKind &kind, const HttpRequestParts &request)
{
    if (kind.service.protocol == ServiceSpec::Protocol::AwsJson)
        return QJsonDocument::fromJson(request.body).object().value(kind.pagination.inputToken).toString();
    const QByteArray key = OperationCodec::percentEncode(kind.pagination.inputToken) + '=';
    for (const QByteArray &pair : request.query.split('&')) {
        if (pair.startsWith(key))
            return QString::fromUtf8(QByteArray::fromPercentEncoding(pair.mid(key.size())));
    }
    return {};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QList<ResourceKind> &kinds = resourceKinds();
    FUZZ_CHECK(kinds.size() == 3);
    const ResourceKind &kind = kinds.at(data[0] % kinds.size());
    const int pageNumber = 1 + data[0] / kinds.size() % 5;
    const QByteArray body(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));

    const OperationCodec codec(kind);
    // Read-ahead's guess reads any bytes safely and never guesses an empty token (whether it is
    // right is the Paginator's to check).
    const std::optional<QString> guess = codec.peekNextToken(body);
    FUZZ_CHECK(!guess || !guess->isEmpty());
    const Result<Page> decoded = codec.decode(body, pageNumber);
    const Result<Page> raw = codec.decodeRaw(body, pageNumber);
    FUZZ_CHECK(raw.ok() == decoded.ok());
    if (!decoded.ok()) {
        const AwsError &error = decoded.error();
        FUZZ_CHECK(error.kind == AwsError::Kind::Decode);
        FUZZ_CHECK(error.page == pageNumber);
        FUZZ_CHECK(error.message.contains(kind.operation.name));
        FUZZ_CHECK(raw.error().kind == error.kind && raw.error().code == error.code);
        FUZZ_CHECK(raw.error().page == error.page && raw.error().message == error.message);
        return 0;
    }
    const Page &page = decoded.value();
    FUZZ_CHECK(page.bytes == body.size());
    FUZZ_CHECK(page.number == pageNumber);
    for (const QJsonValue &item : page.items)
        FUZZ_CHECK(item.isObject());

    const Page &rawPage = raw.value();
    FUZZ_CHECK(rawPage.bytes == page.bytes && rawPage.number == page.number);
    FUZZ_CHECK(rawPage.nextToken == page.nextToken);
    FUZZ_CHECK(rawPage.itemCount() == page.itemCount());
    const QJsonArray rawItems = rawPage.jsonItems();
    FUZZ_CHECK(rawItems == page.items);
    FUZZ_CHECK(QJsonDocument(rawItems).toJson(QJsonDocument::Compact)
        == QJsonDocument(page.items).toJson(QJsonDocument::Compact));

    // Whatever the members hold (strings for timestamps, unknown enum values, nesting), export
    // writes one row per item.
    QString error;
    const auto columns = exportColumns(kind, {}, &error);
    FUZZ_CHECK(columns.has_value());
    QByteArray csv;
    {
        CsvWriter writer(&csv);
        writeExportHeader(writer, *columns);
        writeExportRows(writer, *columns, page.items);
        FUZZ_CHECK(writer.rowsWritten() == page.items.size() + 1);
    }
    // The raw mode's CSV, cells straight from simdjson's values (or Qt's, for a body the raw
    // decoder left to Qt), byte for byte.
    if (rawPage.isRaw()) {
        QByteArray rawCsv;
        CsvWriter writer(&rawCsv);
        writeExportHeader(writer, *columns);
        RawExportRows(*columns).writeRows(writer, rawPage.raw);
        FUZZ_CHECK(rawCsv == csv);
    }

    // The token received is the token sent next, byte for byte.
    if (!page.nextToken.isEmpty()) {
        const HttpRequestParts next = codec.encode({}, page.nextToken, kind.pagination.maxPageSize);
        if (page.nextToken.isValidUtf16())
            FUZZ_CHECK(sentToken(kind, next) == page.nextToken);
    }
    return 0;
}
