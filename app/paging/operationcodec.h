#pragma once

#include "aws/signing/sigv4signer.h"
#include "core/result.h"
#include "page.h"

#include <QVariantMap>

#include <memory>
#include <optional>

namespace pagewise
{

class RawPageParser;
struct ResourceKind;

/// Turns one list request into wire bytes and one 2xx response body into a Page, for any kind,
/// driven only by its ResourceKind descriptor (protocol, operation, pagination, filter locations).
///
/// awsJson: `POST /`, X-Amz-Target and Content-Type headers, a JSON object body (`{}` at least) with
/// timestamps as integer epoch seconds. restJson: the operation's method, URI labels substituted and
/// percent-encoded (RFC 3986 unreserved set), query members then the limit key then the input token,
/// no body and no Content-Type unless a member goes in the body.
/// The request carries no Host: the client adds it with the endpoint.
class OperationCodec
{
public:
    /// The kind must outlive the codec.
    explicit OperationCodec(const ResourceKind &kind);
    ~OperationCodec();
    OperationCodec(const OperationCodec &) = delete;
    OperationCodec &operator=(const OperationCodec &) = delete;

    /// parameters: ListQuery::parameters (model member names). serviceToken: sent as the input
    /// token unless empty. limit: sent as the limit key when set.
    HttpRequestParts encode(
        const QVariantMap &parameters, const QString &serviceToken = {}, std::optional<int> limit = std::nullopt) const;

    /// Decodes a 2xx body: items are the result key's array as received, nextToken the output
    /// token ("" or null -> none). bytes and number are set; requestId and attempts are left for
    /// the caller. A malformed body gives AwsError::Kind::Decode naming the page.
    Result<Page> decode(const QByteArray &body, int pageNumber = 0) const;

    /// decode() with ItemDecoding::Raw: the body is parsed once by simdjson and the Page carries
    /// the parsed items (Page::raw) instead of Qt JSON values. The result is decode()'s in every
    /// other respect: the same checks, the same errors, the same token. A body that simdjson reads
    /// differently from Qt's parser, or cannot read, is decoded by decode() instead (its Page then
    /// carries `items`), so callers must accept either form. Not thread-safe: the codec keeps the
    /// parser's buffers from page to page.
    Result<Page> decodeRaw(const QByteArray &body, int pageNumber = 0) const;

    /// decodeRaw() or decode().
    Result<Page> decode(const QByteArray &body, int pageNumber, ItemDecoding decoding) const;

    /// A cheap guess at a 2xx body's output token, for reading ahead: the string value of the last
    /// `"<outputToken>":` in the body, found without parsing it (AWS writes the token after the
    /// items). nullopt when there is none or it is not a plain string (null, escapes). Only
    /// decode() says what the token is: the guess may come from anywhere in the body.
    std::optional<QString> peekNextToken(const QByteArray &body) const;

    /// True when a response without the result key is malformed rather than an empty page.
    bool resultKeyRequired() const;

    /// botocore.utils.percent_encode: UTF-8, everything but A-Za-z0-9-._~ as upper-case %XX.
    static QByteArray percentEncode(const QString &value);

private:
    const ResourceKind &m_kind;
    QByteArray m_target;
    QByteArray m_contentType;
    QByteArray m_quotedOutputToken; ///< "NextToken", quotes included, as peekNextToken() looks for it
    /// awsJson: the last body encoded without a token. Every page of a listing sends the same
    /// members but the token, so only the token is written again.
    struct EncodedBody {
        QVariantMap parameters;
        std::optional<int> limit;
        QByteArray json;
    };
    mutable std::optional<EncodedBody> m_lastBody;
    mutable std::unique_ptr<RawPageParser> m_rawParser; ///< made on the first decodeRaw()
};

} // namespace pagewise
