#include "sigv4signer.h"

#include "sha256.h"

#include <QStringEncoder>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <vector>

namespace pagewise
{

namespace
{

constexpr QByteArrayView kAlgorithm = "AWS4-HMAC-SHA256";
constexpr QByteArrayView kTerminator = "aws4_request";
constexpr QByteArrayView kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// botocore's SIGNED_HEADERS_BLACKLIST: hop-by-hop headers and those that proxies or the HTTP
// stack may rewrite after signing.
constexpr std::array<QByteArrayView, 11> kUnsignedHeaders = {
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
};

// Only for buffers this file owns alone: data() would detach a shared one and wipe the copy.
void wipe(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        wipeBytes(bytes.data(), size_t(bytes.size()));
}

QByteArray hmacSha256(QByteArrayView key, QByteArrayView message)
{
    Sha256::Digest mac = HmacSha256::mac(key, message);
    const QByteArray out(reinterpret_cast<const char *>(mac.data()), mac.size());
    wipeBytes(mac.data(), mac.size());
    return out;
}

QByteArray sha256Hex(QByteArrayView data)
{
    return Sha256::toHex(Sha256::hash(data));
}

// kSigning: HMAC("AWS4" + secret, date) -> region -> service -> "aws4_request". The caller wipes it.
QByteArray deriveSigningKey(const QString &secretAccessKey, QByteArrayView date, const SigV4Signer::Scope &scope)
{
    // "AWS4" + UTF-8 secret, built in one buffer so no unwiped temporary holds the secret.
    QStringEncoder encoder(QStringEncoder::Utf8);
    QByteArray key(4 + encoder.requiredSpace(secretAccessKey.size()), Qt::Uninitialized);
    std::memcpy(key.data(), "AWS4", 4);
    char *end = encoder.appendToBuffer(key.data() + 4, secretAccessKey);
    const QByteArrayView keyView(key.constData(), end - key.constData());

    QByteArray kDate = hmacSha256(keyView, date);
    wipe(key);
    QByteArray kRegion = hmacSha256(kDate, scope.region.toUtf8());
    wipe(kDate);
    QByteArray kService = hmacSha256(kRegion, scope.service.toUtf8());
    wipe(kRegion);
    QByteArray kSigning = hmacSha256(kService, kTerminator);
    wipe(kService);
    return kSigning;
}

QByteArray signatureForDate(
    QByteArrayView stringToSign, const QString &secretAccessKey, QByteArrayView date, const SigV4Signer::Scope &scope)
{
    QByteArray kSigning = deriveSigningKey(secretAccessKey, date, scope);
    const QByteArray signature = hmacSha256(kSigning, stringToSign).toHex();
    wipe(kSigning);
    return signature;
}

QByteArray credentialScope(QByteArrayView date, const SigV4Signer::Scope &scope)
{
    QByteArray out;
    out.reserve(64);
    out.append(date).append('/').append(scope.region.toUtf8()).append('/').append(scope.service.toUtf8());
    out.append('/').append(kTerminator);
    return out;
}

QByteArray buildStringToSign(
    QByteArrayView amzDate, QByteArrayView date, const SigV4Signer::Scope &scope, QByteArrayView canonicalRequest)
{
    QByteArray out;
    out.reserve(160);
    out.append(kAlgorithm).append('\n').append(amzDate).append('\n');
    out.append(credentialScope(date, scope)).append('\n').append(sha256Hex(canonicalRequest));
    return out;
}

// Python's str.split() whitespace, restricted to ASCII (header values go out as Latin-1/ASCII).
bool isSplitSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1f);
}

// ' '.join(value.split()): ends trimmed, inner runs of whitespace collapsed to one space.
void appendTrimAll(QByteArray &out, QByteArrayView value)
{
    bool pendingSpace = false;
    bool any = false;
    for (char c : value) {
        if (isSplitSpace(c)) {
            pendingSpace = any;
            continue;
        }
        if (pendingSpace)
            out.append(' ');
        out.append(c);
        pendingSpace = false;
        any = true;
    }
}

bool isUnreserved(uchar c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
        || c == '.' || c == '~';
}

// Python's quote(): unreserved characters (and '/' when asked) kept, everything else %XX.
void appendPercentEncoded(QByteArray &out, QByteArrayView in, bool keepSlash)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    for (char ch : in) {
        const auto c = uchar(ch);
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out.append(ch);
        } else {
            out.append('%');
            out.append(hex[c >> 4]);
            out.append(hex[c & 0xf]);
        }
    }
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Python's unquote_to_bytes(): a '%' not followed by two hex digits stays as it is.
QByteArray percentDecoded(QByteArrayView in)
{
    QByteArray out;
    out.reserve(in.size());
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in[i] == '%' && i + 2 < in.size() && hexValue(in[i + 1]) >= 0 && hexValue(in[i + 2]) >= 0) {
            out.append(char(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2])));
            i += 2;
        } else {
            out.append(in[i]);
        }
    }
    return out;
}

// botocore's utils.remove_dot_segments (RFC 3986 5.2.4, plus empty segments dropped).
QByteArray removeDotSegments(const QByteArray &path)
{
    if (path.isEmpty())
        return {};
    QList<QByteArrayView> output;
    qsizetype start = 0;
    while (start <= path.size()) {
        qsizetype slash = path.indexOf('/', start);
        if (slash < 0)
            slash = path.size();
        const QByteArrayView segment(path.constData() + start, slash - start);
        if (!segment.isEmpty() && segment != ".") {
            if (segment == "..") {
                if (!output.isEmpty())
                    output.removeLast();
            } else {
                output.append(segment);
            }
        }
        start = slash + 1;
    }
    QByteArray out;
    out.reserve(path.size());
    if (path.front() == '/')
        out.append('/');
    for (qsizetype i = 0; i < output.size(); ++i) {
        if (i > 0)
            out.append('/');
        out.append(output[i]);
    }
    if (path.back() == '/' && !output.isEmpty())
        out.append('/');
    return out;
}

using QueryPairs = std::vector<std::pair<QByteArray, QByteArray>>;

QueryPairs splitQuery(const QByteArray &query)
{
    QueryPairs pairs;
    qsizetype start = 0;
    while (start <= query.size()) {
        qsizetype amp = query.indexOf('&', start);
        if (amp < 0)
            amp = query.size();
        const QByteArray part = query.mid(start, amp - start);
        const qsizetype eq = part.indexOf('=');
        if (eq < 0)
            pairs.emplace_back(part, QByteArray());
        else
            pairs.emplace_back(part.left(eq), part.mid(eq + 1));
        start = amp + 1;
    }
    return pairs;
}

QByteArray joinSortedPairs(QueryPairs pairs)
{
    std::sort(pairs.begin(), pairs.end());
    QByteArray out;
    for (const auto &[key, value] : pairs) {
        if (!out.isEmpty())
            out.append('&');
        out.append(key).append('=').append(value);
    }
    return out;
}

// Canonical headers block (without the final newline), signed-header list and all the rest.
QByteArray buildCanonicalRequest(const HttpRequestParts &request, QByteArrayView canonicalUri,
    QByteArrayView canonicalQuery, const QList<QByteArray> &signedHeaders, QByteArrayView payloadHash)
{
    QByteArray out;
    out.reserve(256 + request.path.size() + request.query.size());
    out.append(request.method.toUpper()).append('\n');
    out.append(canonicalUri).append('\n');
    out.append(canonicalQuery).append('\n');
    for (qsizetype i = 0; i < signedHeaders.size(); ++i) {
        const QByteArray &name = signedHeaders[i];
        if (i > 0)
            out.append('\n');
        out.append(name).append(':');
        bool first = true;
        for (const auto &[headerName, value] : request.headers) {
            if (headerName.compare(name, Qt::CaseInsensitive) != 0)
                continue;
            if (!first)
                out.append(',');
            appendTrimAll(out, value);
            first = false;
        }
    }
    out.append("\n\n");
    for (qsizetype i = 0; i < signedHeaders.size(); ++i) {
        if (i > 0)
            out.append(';');
        out.append(signedHeaders[i]);
    }
    out.append('\n').append(payloadHash);
    return out;
}

// email.utils.formatdate(t) as botocore writes a Date header: "Sun, 30 Aug 2015 12:36:00 -0000".
QByteArray httpDate(const QDateTime &time)
{
    static constexpr const char *days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    static constexpr const char *months[]
        = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const QDateTime utc = time.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    char buffer[64];
    const int n = std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d -0000", days[d.dayOfWeek() - 1],
        d.day(), months[d.month() - 1], d.year(), t.hour(), t.minute(), t.second());
    return QByteArray(buffer, n);
}

bool isAllDigits(QByteArrayView v)
{
    return std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isLowerHex(QByteArrayView v)
{
    return std::all_of(v.begin(), v.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<SigV4Signer::Authorization> fail(QString *whyNot, const QString &message)
{
    if (whyNot)
        *whyNot = message;
    return std::nullopt;
}

} // namespace

QByteArray HttpRequestParts::header(const QByteArray &name) const
{
    QByteArray out;
    bool found = false;
    for (const auto &[headerName, value] : headers) {
        if (headerName.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (found)
            out.append(',');
        out.append(value);
        found = true;
    }
    return out;
}

void HttpRequestParts::setHeader(const QByteArray &name, const QByteArray &value)
{
    removeHeader(name);
    headers.append({name, value});
}

bool HttpRequestParts::hasHeader(const QByteArray &name) const
{
    return std::any_of(headers.cbegin(), headers.cend(),
        [&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

void HttpRequestParts::removeHeader(const QByteArray &name)
{
    headers.removeIf([&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
}

QList<QByteArray> SigV4Signer::headersToSign(const HttpRequestParts &request)
{
    QList<QByteArray> names;
    for (const auto &header : request.headers) {
        QByteArray lower = header.first.toLower();
        if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), QByteArrayView(lower))
            != kUnsignedHeaders.end())
            continue;
        names.append(std::move(lower));
    }
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

QByteArray SigV4Signer::canonicalUri(const QByteArray &path)
{
    // normalize_url_path(): only an empty path becomes "/"; "." normalises to "".
    const QByteArray normalised = path.isEmpty() ? QByteArray("/") : removeDotSegments(path);
    QByteArray out;
    out.reserve(normalised.size() + normalised.size() / 2);
    appendPercentEncoded(out, normalised, true);
    return out;
}

QByteArray SigV4Signer::canonicalQuery(const QByteArray &query)
{
    if (query.isEmpty())
        return {};
    return joinSortedPairs(splitQuery(query));
}

QByteArray SigV4Signer::canonicalQueryFromReceived(const QByteArray &rawQuery)
{
    if (rawQuery.isEmpty())
        return {};
    QueryPairs pairs = splitQuery(rawQuery);
    for (auto &[key, value] : pairs) {
        QByteArray encodedKey;
        appendPercentEncoded(encodedKey, percentDecoded(key), false);
        QByteArray encodedValue;
        appendPercentEncoded(encodedValue, percentDecoded(value), false);
        key = std::move(encodedKey);
        value = std::move(encodedValue);
    }
    return joinSortedPairs(std::move(pairs));
}

QByteArray SigV4Signer::payloadHash(const HttpRequestParts &request)
{
    if (request.hasHeader("X-Amz-Content-SHA256"))
        return request.header("X-Amz-Content-SHA256");
    if (request.body.isEmpty())
        return kEmptySha256.toByteArray();
    return sha256Hex(request.body);
}

QByteArray SigV4Signer::canonicalRequest(const HttpRequestParts &request, const QList<QByteArray> &signedHeaders)
{
    return buildCanonicalRequest(
        request, canonicalUri(request.path), canonicalQuery(request.query), signedHeaders, payloadHash(request));
}

QByteArray SigV4Signer::stringToSign(const QByteArray &canonicalRequest, const QDateTime &time, const Scope &scope)
{
    const QByteArray stamp = amzDate(time);
    return buildStringToSign(stamp, QByteArrayView(stamp).first(8), scope, canonicalRequest);
}

QByteArray SigV4Signer::signature(
    const QByteArray &stringToSign, const QString &secretAccessKey, const QDateTime &time, const Scope &scope)
{
    const QByteArray stamp = amzDate(time);
    return signatureForDate(stringToSign, secretAccessKey, QByteArrayView(stamp).first(8), scope);
}

SigV4SigningKeyCache::SigV4SigningKeyCache() = default;

SigV4SigningKeyCache::~SigV4SigningKeyCache()
{
    wipe(m_secret);
}

const HmacSha256 &SigV4SigningKeyCache::signingKey(
    const QString &secretAccessKey, QByteArrayView date, const SigV4Signer::Scope &scope)
{
    const QByteArrayView secret(
        reinterpret_cast<const char *>(secretAccessKey.constData()), secretAccessKey.size() * 2);
    // A plain comparison: both sides are this process's own secret, so its time tells nobody
    // anything they could not read already.
    if (m_key && secret == m_secret && date == m_date && scope.region == m_region && scope.service == m_service)
        return *m_key;

    QByteArray kSigning = deriveSigningKey(secretAccessKey, date, scope);
    m_key = std::make_unique<HmacSha256>(kSigning);
    wipe(kSigning);
    if (secret != m_secret) {
        wipe(m_secret);
        m_secret = secret.toByteArray();
    }
    m_date = date.toByteArray();
    m_region = scope.region;
    m_service = scope.service;
    m_credentialScope = pagewise::credentialScope(date, scope);
    ++m_derivations;
    return *m_key;
}

QByteArray SigV4Signer::sign(
    HttpRequestParts &request, const Credentials &credentials, const Scope &scope, const QDateTime &now)
{
    return sign(request, credentials, scope, now, nullptr);
}

QByteArray SigV4Signer::sign(HttpRequestParts &request, const Credentials &credentials, const Scope &scope,
    const QDateTime &now, SigV4SigningKeyCache *keys)
{
    const QByteArray stamp = amzDate(now);
    const QByteArrayView date = QByteArrayView(stamp).first(8);
    // A retry must not sign its previous Authorization.
    request.removeHeader("Authorization");
    if (request.hasHeader("Date")) {
        // botocore keeps the Date header as the request date when one is present.
        request.setHeader("Date", httpDate(now));
        request.removeHeader("X-Amz-Date");
    } else {
        request.setHeader("X-Amz-Date", stamp);
    }
    if (!credentials.sessionToken.isEmpty())
        request.setHeader("X-Amz-Security-Token", credentials.sessionToken.toUtf8());

    const QList<QByteArray> signedHeaders = headersToSign(request);
    const QByteArray canonical = canonicalRequest(request, signedHeaders);
    const QByteArray toSign = buildStringToSign(stamp, date, scope, canonical);
    const QByteArray sig = keys ? Sha256::toHex(keys->signingKey(credentials.secretAccessKey, date, scope).mac(toSign))
                                : signatureForDate(toSign, credentials.secretAccessKey, date, scope);

    QByteArray authorization;
    authorization.reserve(256);
    authorization.append(kAlgorithm).append(" Credential=").append(credentials.accessKeyId.toUtf8()).append('/');
    authorization.append(credentialScope(date, scope));
    authorization.append(", SignedHeaders=").append(signedHeaders.join(';'));
    authorization.append(", Signature=").append(sig);
    request.setHeader("Authorization", authorization);
    return authorization;
}

QByteArray SigV4Signer::amzDate(const QDateTime &time)
{
    const QDateTime utc = time.toUTC();
    const QDate d = utc.date();
    const QTime t = utc.time();
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%04d%02d%02dT%02d%02d%02dZ", d.year(), d.month(), d.day(),
        t.hour(), t.minute(), t.second());
    return QByteArray(buffer, n);
}

QDateTime SigV4Signer::parseAmzDate(const QByteArray &value)
{
    if (value.size() != 16 || value[8] != 'T' || value[15] != 'Z')
        return {};
    const QByteArrayView v(value);
    if (!isAllDigits(v.first(8)) || !isAllDigits(v.sliced(9, 6)))
        return {};
    const QDate date(v.first(4).toInt(), v.sliced(4, 2).toInt(), v.sliced(6, 2).toInt());
    const QTime time(v.sliced(9, 2).toInt(), v.sliced(11, 2).toInt(), v.sliced(13, 2).toInt());
    if (!date.isValid() || !time.isValid())
        return {};
    return QDateTime(date, time, Qt::UTC);
}

std::optional<SigV4Signer::Authorization> SigV4Signer::parseAuthorization(const QByteArray &value)
{
    return parseAuthorization(value, nullptr);
}

std::optional<SigV4Signer::Authorization> SigV4Signer::parseAuthorization(const QByteArray &value, QString *whyNot)
{
    const QByteArray trimmed = value.trimmed();
    if (!trimmed.startsWith(kAlgorithm) || trimmed.size() == kAlgorithm.size() || trimmed[kAlgorithm.size()] != ' ')
        return fail(whyNot,
            QStringLiteral("Authorization must start with \"AWS4-HMAC-SHA256 \"; no other scheme is "
                           "accepted."));

    std::optional<QByteArray> credential, signedHeaders, signature;
    const QList<QByteArray> parts = trimmed.mid(kAlgorithm.size() + 1).split(',');
    for (const QByteArray &rawPart : parts) {
        const QByteArray part = rawPart.trimmed();
        const qsizetype eq = part.indexOf('=');
        const QByteArray key = eq < 0 ? part : part.left(eq);
        std::optional<QByteArray> *slot = key == "Credential" ? &credential
            : key == "SignedHeaders"                          ? &signedHeaders
            : key == "Signature"                              ? &signature
                                                              : nullptr;
        if (!slot || eq < 0)
            return fail(whyNot,
                QStringLiteral("Authorization has an unexpected component \"%1\"; expected "
                               "Credential=..., SignedHeaders=..., Signature=... separated by commas.")
                    .arg(QString::fromLatin1(key.left(40))));
        if (slot->has_value())
            return fail(whyNot, QStringLiteral("Authorization has %1 more than once.").arg(QString::fromLatin1(key)));
        *slot = part.mid(eq + 1);
    }
    if (!credential)
        return fail(whyNot, QStringLiteral("Authorization header requires 'Credential' parameter."));
    if (!signedHeaders)
        return fail(whyNot, QStringLiteral("Authorization header requires 'SignedHeaders' parameter."));
    if (!signature)
        return fail(whyNot, QStringLiteral("Authorization header requires 'Signature' parameter."));

    const QList<QByteArray> scopeParts = credential->split('/');
    if (scopeParts.size() != 5 || scopeParts[0].isEmpty() || scopeParts[2].isEmpty() || scopeParts[3].isEmpty())
        return fail(
            whyNot, QStringLiteral("Credential must be <access key id>/<yyyyMMdd>/<region>/<service>/aws4_request."));
    if (scopeParts[1].size() != 8 || !isAllDigits(scopeParts[1])
        || !QDate::fromString(QString::fromLatin1(scopeParts[1]), QStringLiteral("yyyyMMdd")).isValid())
        return fail(whyNot, QStringLiteral("Credential date must be a valid yyyyMMdd date."));
    if (scopeParts[4] != kTerminator)
        return fail(whyNot, QStringLiteral("Credential must end with \"aws4_request\"."));

    Authorization auth;
    auth.accessKeyId = QString::fromUtf8(scopeParts[0]);
    auth.date = QString::fromLatin1(scopeParts[1]);
    auth.scope.region = QString::fromUtf8(scopeParts[2]);
    auth.scope.service = QString::fromUtf8(scopeParts[3]);

    auth.signedHeaders = signedHeaders->split(';');
    for (qsizetype i = 0; i < auth.signedHeaders.size(); ++i) {
        const QByteArray &name = auth.signedHeaders[i];
        if (name.isEmpty() || name != name.toLower() || name.contains(' '))
            return fail(whyNot,
                QStringLiteral("SignedHeaders must be non-empty lower-case header names "
                               "separated by ';'."));
        if (i > 0 && !(auth.signedHeaders[i - 1] < name))
            return fail(whyNot, QStringLiteral("SignedHeaders must be sorted and without repeats."));
    }

    if (signature->size() != 64 || !isLowerHex(*signature))
        return fail(whyNot, QStringLiteral("Signature must be 64 lower-case hexadecimal digits."));
    auth.signature = *signature;
    return auth;
}

QByteArray SigV4Signer::expectedSignature(const HttpRequestParts &received, const Authorization &auth,
    const QString &secretAccessKey, const QDateTime &amzDate)
{
    // The server hashes the body it got: a client's X-Amz-Content-SHA256 claim is not trusted.
    const QByteArray bodyHash = received.body.isEmpty() ? kEmptySha256.toByteArray() : sha256Hex(received.body);
    const QByteArray canonical = buildCanonicalRequest(received, canonicalUri(received.path),
        canonicalQueryFromReceived(received.query), auth.signedHeaders, bodyHash);
    const QByteArray date = auth.date.toLatin1();
    const QByteArray toSign = buildStringToSign(SigV4Signer::amzDate(amzDate), date, auth.scope, canonical);
    return signatureForDate(toSign, secretAccessKey, date, auth.scope);
}

bool SigV4Signer::signaturesEqual(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        diff |= uchar(a[i]) ^ uchar(b[i]);
    return diff == 0;
}

} // namespace pagewise
