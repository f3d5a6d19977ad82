#include "pagetoken.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QStringDecoder>

#include <cmath>

namespace pagewise
{

namespace
{

const QLatin1String truncateKey("boto_truncate_amount");

AwsError badStartingToken(const QString &inputToken, const QString &why)
{
    AwsError error;
    error.kind = AwsError::Kind::Pagination;
    error.code = QStringLiteral("BadStartingToken");
    error.parameter = QStringLiteral("StartingToken");
    error.message = QStringLiteral("Bad starting token: %1. A starting token is either a resume token printed by "
                                   "Pagewise or the AWS CLI (base64 JSON holding only \"%2\" and "
                                   "\"boto_truncate_amount\") or the service's own %2 value.")
                        .arg(why, inputToken);
    return error;
}

/// base64.b64decode without validate=True: characters outside the alphabet are dropped first.
std::optional<QByteArray> pythonBase64Decode(const QString &text)
{
    QByteArray filtered;
    filtered.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if ((u >= u'A' && u <= u'Z') || (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'+' || u == u'/'
            || u == u'=')
            filtered.append(char(u));
    }
    if (filtered.size() % 4 != 0)
        return std::nullopt;
    auto decoded = QByteArray::fromBase64Encoding(filtered, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(decoded.decoded);
}

std::optional<QString> strictUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);
    if (decoder.hasError())
        return std::nullopt;
    return text;
}

/// botocore's _parse_starting_token_deprecated for one input token: "tok", "tok___N" or "None".
Result<PageToken> decodeRaw(const QString &inputToken, const QString &text)
{
    PageToken token;
    token.raw = true;
    QStringList parts = text.split(QStringLiteral("___"));
    if (parts.size() == 2) {
        bool ok = false;
        const qint64 index = parts.at(1).trimmed().toLongLong(&ok);
        if (ok) {
            if (index < 0)
                return badStartingToken(inputToken, QStringLiteral("the skip count after \"___\" is negative"));
            token.truncateAmount = index;
            parts.removeLast();
        } else {
            parts = QStringList {text};
        }
    }
    if (parts.size() > 1)
        return badStartingToken(inputToken, QStringLiteral("it holds more than one \"___\" separated token"));
    if (parts.constFirst() != QLatin1String("None"))
        token.serviceToken = parts.constFirst();
    return token;
}

} // namespace

QByteArray PageToken::pythonJsonString(const QString &value)
{
    static const char hex[] = "0123456789abcdef";
    QByteArray out;
    out.reserve(value.size() + 2);
    out.append('"');
    for (const QChar c : value) {
        const char16_t u = c.unicode();
        switch (u) {
        case u'"':
            out.append("\\\"");
            break;
        case u'\\':
            out.append("\\\\");
            break;
        case u'\n':
            out.append("\\n");
            break;
        case u'\r':
            out.append("\\r");
            break;
        case u'\t':
            out.append("\\t");
            break;
        case u'\b':
            out.append("\\b");
            break;
        case u'\f':
            out.append("\\f");
            break;
        default:
            if (u >= 0x20 && u <= 0x7e) {
                out.append(char(u));
            } else {
                // ensure_ascii: everything outside ' '..'~' as \uxxxx (UTF-16 units, lower-case hex)
                out.append("\\u");
                out.append(hex[(u >> 12) & 0xf]);
                out.append(hex[(u >> 8) & 0xf]);
                out.append(hex[(u >> 4) & 0xf]);
                out.append(hex[u & 0xf]);
            }
        }
    }
    out.append('"');
    return out;
}

QString PageToken::encode(const QString &inputToken) const
{
    QByteArray json = "{" + pythonJsonString(inputToken) + ": ";
    json += serviceToken ? pythonJsonString(*serviceToken) : QByteArray("null");
    if (truncateAmount)
        json += ", \"boto_truncate_amount\": " + QByteArray::number(*truncateAmount);
    json += '}';
    return QString::fromLatin1(json.toBase64());
}

Result<PageToken> PageToken::decode(const QString &inputToken, const QString &text)
{
    const std::optional<QByteArray> bytes = pythonBase64Decode(text);
    const std::optional<QString> jsonText = bytes ? strictUtf8(*bytes) : std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument document
        = jsonText ? QJsonDocument::fromJson(jsonText->toUtf8(), &parseError) : QJsonDocument();
    if (!document.isObject())
        return decodeRaw(inputToken, text);

    const QJsonObject object = document.object();
    PageToken token;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() == inputToken) {
            if (it->isString())
                token.serviceToken = it->toString();
            else if (!it->isNull())
                return badStartingToken(inputToken, QStringLiteral("\"%1\" is not a string").arg(inputToken));
        } else if (it.key() == truncateKey) {
            // Range first: casting a double beyond qint64 is undefined. 2^53 bounds the integers a
            // JSON number holds exactly, far beyond any page.
            const double amount = it->toDouble(-1);
            if (!it->isDouble() || !(amount >= 0 && amount <= 9007199254740992.0) || amount != std::trunc(amount))
                return badStartingToken(
                    inputToken, QStringLiteral("\"boto_truncate_amount\" is not a non-negative integer"));
            token.truncateAmount = qint64(amount);
        } else {
            return badStartingToken(inputToken, QStringLiteral("it holds the key \"%1\"").arg(it.key()));
        }
    }
    if (!object.contains(inputToken))
        return badStartingToken(inputToken, QStringLiteral("it has no \"%1\" key").arg(inputToken));
    return token;
}

} // namespace pagewise
