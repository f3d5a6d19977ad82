#include "sigv4signer.h"

#include "sha256.h"

#include <QStringEncoder>
#include <QVarLengthArray>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
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

void wipe(Sha256::Digest &digest)
{
    wipeBytes(digest.data(), digest.size());
}

QByteArrayView bytesOf(const Sha256::Digest &digest)
{
    return QByteArrayView(digest.data(), digest.size());
}

// Builds bytes in one buffer through a raw pointer: QByteArray::append() costs about a hundred
// instructions a call, and a signed request is some forty short pieces.
class ByteWriter
{
public:
    explicit ByteWriter(qsizetype capacity)
        : m_bytes(std::max<qsizetype>(capacity, 16), Qt::Uninitialized)
        , m_next(m_bytes.data())
        , m_end(m_next + m_bytes.size())
    {
    }

    ByteWriter &operator<<(QByteArrayView piece)
    {
        reserveMore(piece.size());
        if (!piece.isEmpty()) {
            std::memcpy(m_next, piece.data(), size_t(piece.size()));
            m_next += piece.size();
        }
        return *this;
    }
    ByteWriter &operator<<(char c)
    {
        reserveMore(1);
        *m_next++ = c;
        return *this;
    }
    /// As 64 lower-case hexadecimal digits.
    ByteWriter &operator<<(const Sha256::Digest &digest)
    {
        reserveMore(2 * Sha256::DigestSize);
        m_next = Sha256::writeHex(digest, m_next);
        return *this;
    }
    void writeUtf8(QStringView text)
    {
        QStringEncoder encoder(QStringEncoder::Utf8);
        reserveMore(encoder.requiredSpace(text.size()));
        m_next = encoder.appendToBuffer(m_next, text);
    }
    /// ASCII letters upper-cased, as QByteArray::toUpper() does.
    void writeUpper(QByteArrayView text)
    {
        reserveMore(text.size());
        for (const char c : text)
            *m_next++ = (c >= 'a' && c <= 'z') ? char(c - 'a' + 'A') : c;
    }

    QByteArrayView view() const { return QByteArrayView(m_bytes.constData(), size()); }
    /// What was written; the writer is spent.
    QByteArray take()
    {
        m_bytes.truncate(size());
        return std::move(m_bytes);
    }

private:
    qsizetype size() const { return m_next - m_bytes.constData(); }
    void reserveMore(qsizetype count)
    {
        if (m_end - m_next < count)
            grow(count);
    }
    void grow(qsizetype count)
    {
        const qsizetype used = size();
        m_bytes.resize(std::max(2 * m_bytes.size(), used + count));
        m_next = m_bytes.data() + used;
        m_end = m_bytes.data() + m_bytes.size();
    }

    QByteArray m_bytes;
    char *m_next;
    char *m_end;
};

// kSigning: HMAC("AWS4" + secret, date) -> region -> service -> "aws4_request". The caller wipes it.
Sha256::Digest deriveSigningKey(const QString &secretAccessKey, QByteArrayView date, const SigV4Signer::Scope &scope)
{
    // "AWS4" + UTF-8 secret, built in one buffer so no unwiped temporary holds the secret.
    QStringEncoder encoder(QStringEncoder::Utf8);
    QByteArray key(4 + encoder.requiredSpace(secretAccessKey.size()), Qt::Uninitialized);
    std::memcpy(key.data(), "AWS4", 4);
    char *end = encoder.appendToBuffer(key.data() + 4, secretAccessKey);
    const QByteArrayView keyView(key.constData(), end - key.constData());

    Sha256::Digest kDate = HmacSha256::mac(keyView, date);
    wipe(key);
    Sha256::Digest kRegion = HmacSha256::mac(bytesOf(kDate), scope.region.toUtf8());
    wipe(kDate);
    Sha256::Digest kService = HmacSha256::mac(bytesOf(kRegion), scope.service.toUtf8());
    wipe(kRegion);
    Sha256::Digest kSigning = HmacSha256::mac(bytesOf(kService), kTerminator);
    wipe(kService);
    return kSigning;
}

QByteArray signatureForDate(
    QByteArrayView stringToSign, const QString &secretAccessKey, QByteArrayView date, const SigV4Signer::Scope &scope)
{
    Sha256::Digest kSigning = deriveSigningKey(secretAccessKey, date, scope);
    const QByteArray signature = Sha256::toHex(HmacSha256::mac(bytesOf(kSigning), stringToSign));
    wipe(kSigning);
    return signature;
}

// "yyyyMMdd/region/service/aws4_request"
QByteArray buildCredentialScope(QByteArrayView date, const SigV4Signer::Scope &scope)
{
    ByteWriter out(64);
    out << date << '/';
    out.writeUtf8(scope.region);
    out << '/';
    out.writeUtf8(scope.service);
    out << '/' << kTerminator;
    return out.take();
}

void writeStringToSign(
    ByteWriter &out, QByteArrayView amzDate, QByteArrayView credentialScope, QByteArrayView canonicalRequest)
{
    out << kAlgorithm << '\n' << amzDate << '\n' << credentialScope << '\n' << Sha256::hash(canonicalRequest);
}

QByteArray buildStringToSign(
    QByteArrayView amzDate, QByteArrayView date, const SigV4Signer::Scope &scope, QByteArrayView canonicalRequest)
{
    ByteWriter out(192);
    writeStringToSign(out, amzDate, buildCredentialScope(date, scope), canonicalRequest);
    return out.take();
}

// Python's str.split() whitespace, restricted to ASCII (header values go out as Latin-1/ASCII).
bool isSplitSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1f);
}

// ' '.join(value.split()): ends trimmed, inner runs of whitespace collapsed to one space.
void writeTrimAll(ByteWriter &out, QByteArrayView value)
{
    // Every split space is a control character or ' ': most values have none of them.
    if (std::all_of(value.begin(), value.end(), [](char c) { return uchar(c) > ' '; })) {
        out << value;
        return;
    }
    const char *next = value.begin();
    const char *const end = value.end();
    bool first = true;
    while (true) {
        while (next != end && isSplitSpace(*next))
            ++next;
        if (next == end)
            return;
        const char *word = next;
        while (next != end && !isSplitSpace(*next))
            ++next;
        if (!first)
            out << ' ';
        out << QByteArrayView(word, next - word);
        first = false;
    }
}

// Header names compare case-insensitively (ASCII); most differ in length, which is checked first.
bool sameHeaderName(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && qstrnicmp(a.data(), a.size(), b.data(), b.size()) == 0;
}

// The headers a request signs, as botocore picks them: every one but kUnsignedHeaders, names
// lower-cased and sorted; a name given more than once keeps its values in the request's order.
class SignedHeaders
{
public:
    explicit SignedHeaders(const QList<std::pair<QByteArray, QByteArray>> &headers)
    {
        for (qsizetype i = 0; i < headers.size(); ++i) {
            const QByteArray &name = headers[i].first;
            const qsizetype offset = m_names.size();
            m_names.resize(offset + name.size());
            char *lower = m_names.data() + offset;
            for (const char c : name)
                *lower++ = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
            const QByteArrayView lowered(m_names.constData() + offset, name.size());
            if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), lowered) != kUnsignedHeaders.end())
                m_names.resize(offset);
            else
                m_entries.append({offset, name.size(), i});
        }
        std::sort(m_entries.begin(), m_entries.end(), [this](const Entry &a, const Entry &b) {
            const QByteArrayView x = name(a);
            const QByteArrayView y = name(b);
            return x < y || (x == y && a.header < b.header);
        });
    }

    /// Each name once: "a;b;c".
    void writeNameList(ByteWriter &out) const
    {
        for (qsizetype i = 0; i < m_entries.size(); ++i) {
            if (repeatsPrevious(i))
                continue;
            if (i > 0)
                out << ';';
            out << name(m_entries[i]);
        }
    }

    /// "a:value\nb:value,value" (no newline after the last), values trimmed as botocore does.
    void writeCanonicalHeaders(ByteWriter &out, const QList<std::pair<QByteArray, QByteArray>> &headers) const
    {
        for (qsizetype i = 0; i < m_entries.size(); ++i) {
            if (repeatsPrevious(i)) {
                out << ',';
            } else {
                if (i > 0)
                    out << '\n';
                out << name(m_entries[i]) << ':';
            }
            writeTrimAll(out, headers[m_entries[i].header].second);
        }
    }

    QList<QByteArray> names() const
    {
        QList<QByteArray> out;
        out.reserve(m_entries.size());
        for (qsizetype i = 0; i < m_entries.size(); ++i) {
            if (!repeatsPrevious(i))
                out.append(name(m_entries[i]).toByteArray());
        }
        return out;
    }

private:
    struct Entry {
        qsizetype offset; ///< of the lower-cased name in m_names
        qsizetype size;
        qsizetype header; ///< index in the request's headers
    };

    QByteArrayView name(const Entry &entry) const
    {
        return QByteArrayView(m_names.constData() + entry.offset, entry.size);
    }
    bool repeatsPrevious(qsizetype i) const { return i > 0 && name(m_entries[i - 1]) == name(m_entries[i]); }

    QVarLengthArray<char, 256> m_names;
    QVarLengthArray<Entry, 16> m_entries;
};

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

// A path canonicalUri() gives back unchanged: "/", or segments that are neither empty nor "." nor
// ".." and hold unreserved characters only (any API path without an encoded character).
bool isCanonicalPath(QByteArrayView path)
{
    if (path.isEmpty() || path.front() != '/')
        return false;
    if (path.size() == 1)
        return true;
    qsizetype segmentStart = 1;
    for (qsizetype i = 1; i <= path.size(); ++i) {
        if (i == path.size() || path[i] == '/') {
            const QByteArrayView segment = path.sliced(segmentStart, i - segmentStart);
            if (segment.isEmpty() || segment == "." || segment == "..")
                return false;
            segmentStart = i + 1;
        } else if (!isUnreserved(uchar(path[i]))) {
            return false;
        }
    }
    return true;
}

// A query canonicalQuery() gives back unchanged: every part has a '=' and the (key, value) pairs
// are in order already, as a client that writes its parameters sorted sends them.
bool isCanonicalQuery(QByteArrayView query)
{
    QByteArrayView previousKey;
    QByteArrayView previousValue;
    qsizetype start = 0;
    while (start <= query.size()) {
        qsizetype amp = query.indexOf('&', start);
        if (amp < 0)
            amp = query.size();
        const QByteArrayView part = query.sliced(start, amp - start);
        const qsizetype eq = part.indexOf('=');
        if (eq < 0)
            return false;
        const QByteArrayView key = part.first(eq);
        const QByteArrayView value = part.sliced(eq + 1);
        if (start > 0 && (key < previousKey || (key == previousKey && value < previousValue)))
            return false;
        previousKey = key;
        previousValue = value;
        start = amp + 1;
    }
    return true;
}

// METHOD\nURI\nQUERY\n: how every canonical request starts.
void writeRequestStart(
    ByteWriter &out, const HttpRequestParts &request, QByteArrayView canonicalUri, QByteArrayView canonicalQuery)
{
    out.writeUpper(request.method);
    out << '\n' << canonicalUri << '\n' << canonicalQuery << '\n';
}

// The canonical request for a list of signed headers taken as it is (a server's, from
// SignedHeaders=): a listed name the request lacks is signed with an empty value.
QByteArray buildCanonicalRequest(const HttpRequestParts &request, QByteArrayView canonicalUri,
    QByteArrayView canonicalQuery, const QList<QByteArray> &signedHeaders, QByteArrayView payloadHash)
{
    ByteWriter out(512 + request.path.size() + request.query.size());
    writeRequestStart(out, request, canonicalUri, canonicalQuery);
    for (qsizetype i = 0; i < signedHeaders.size(); ++i) {
        const QByteArray &name = signedHeaders[i];
        if (i > 0)
            out << '\n';
        out << name << ':';
        bool first = true;
        for (const auto &[headerName, value] : request.headers) {
            if (!sameHeaderName(headerName, name))
                continue;
            if (!first)
                out << ',';
            writeTrimAll(out, value);
            first = false;
        }
    }
    out << "\n\n";
    for (qsizetype i = 0; i < signedHeaders.size(); ++i) {
        if (i > 0)
            out << ';';
        out << signedHeaders[i];
    }
    out << '\n' << payloadHash;
    return out.take();
}

// SigV4Signer::payloadHash() without building a QByteArray for it.
void writePayloadHash(ByteWriter &out, const HttpRequestParts &request)
{
    if (request.hasHeader(QByteArrayLiteral("X-Amz-Content-SHA256")))
        out << request.header(QByteArrayLiteral("X-Amz-Content-SHA256"));
    else if (request.body.isEmpty())
        out << kEmptySha256;
    else
        out << Sha256::hash(request.body);
}

// `value` as `count` decimal digits at `out`, zero-padded on the left.
void writeDigits(char *out, int count, int value)
{
    for (int i = count - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
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
        if (!sameHeaderName(headerName, name))
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
    return std::any_of(
        headers.cbegin(), headers.cend(), [&name](const auto &h) { return sameHeaderName(h.first, name); });
}

void HttpRequestParts::removeHeader(const QByteArray &name)
{
    headers.removeIf([&name](const auto &h) { return sameHeaderName(h.first, name); });
}

QList<QByteArray> SigV4Signer::headersToSign(const HttpRequestParts &request)
{
    return SignedHeaders(request.headers).names();
}

QByteArray SigV4Signer::canonicalUri(const QByteArray &path)
{
    if (isCanonicalPath(path))
        return path;
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
    if (isCanonicalQuery(query))
        return query;
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
    ByteWriter out(2 * Sha256::DigestSize);
    writePayloadHash(out, request);
    return out.take();
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

    Sha256::Digest kSigning = deriveSigningKey(secretAccessKey, date, scope);
    m_key = std::make_unique<HmacSha256>(bytesOf(kSigning));
    wipe(kSigning);
    if (secret != m_secret) {
        wipe(m_secret);
        m_secret = secret.toByteArray();
    }
    m_date = date.toByteArray();
    m_region = scope.region;
    m_service = scope.service;
    m_credentialScope = buildCredentialScope(date, scope);
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
    request.removeHeader(QByteArrayLiteral("Authorization"));
    if (request.hasHeader(QByteArrayLiteral("Date"))) {
        // botocore keeps the Date header as the request date when one is present.
        request.setHeader(QByteArrayLiteral("Date"), httpDate(now));
        request.removeHeader(QByteArrayLiteral("X-Amz-Date"));
    } else {
        request.setHeader(QByteArrayLiteral("X-Amz-Date"), stamp);
    }
    if (!credentials.sessionToken.isEmpty())
        request.setHeader(QByteArrayLiteral("X-Amz-Security-Token"), credentials.sessionToken.toUtf8());

    // The key of this day, region and service: the cache's, or derived for this request alone.
    std::optional<HmacSha256> ownKey;
    QByteArray ownCredentialScope;
    const HmacSha256 *signingKey = nullptr;
    QByteArrayView credentialScope;
    if (keys) {
        signingKey = &keys->signingKey(credentials.secretAccessKey, date, scope);
        credentialScope = keys->credentialScope();
    } else {
        Sha256::Digest kSigning = deriveSigningKey(credentials.secretAccessKey, date, scope);
        signingKey = &ownKey.emplace(bytesOf(kSigning));
        wipe(kSigning);
        ownCredentialScope = buildCredentialScope(date, scope);
        credentialScope = ownCredentialScope;
    }

    // The canonical request and the string to sign are only hashed: each is built in one buffer.
    const SignedHeaders signedHeaders(request.headers);
    ByteWriter canonical(512 + request.path.size() + request.query.size());
    writeRequestStart(canonical, request, canonicalUri(request.path), canonicalQuery(request.query));
    signedHeaders.writeCanonicalHeaders(canonical, request.headers);
    canonical << "\n\n";
    signedHeaders.writeNameList(canonical);
    canonical << '\n';
    writePayloadHash(canonical, request);

    ByteWriter toSign(192);
    writeStringToSign(toSign, stamp, credentialScope, canonical.view());

    ByteWriter authorization(256);
    authorization << kAlgorithm << " Credential=";
    authorization.writeUtf8(credentials.accessKeyId);
    authorization << '/' << credentialScope << ", SignedHeaders=";
    signedHeaders.writeNameList(authorization);
    authorization << ", Signature=" << signingKey->mac(toSign.view());
    const QByteArray value = authorization.take();
    request.headers.append({QByteArrayLiteral("Authorization"), value});
    return value;
}

QByteArray SigV4Signer::amzDate(const QDateTime &time)
{
    using namespace std::chrono;
    if (time.isValid()) {
        // Calendar arithmetic on the instant: QDateTime::toUTC(), date() and time() and a
        // snprintf() cost ten times as much, and this runs for every request.
        const sys_time<milliseconds> instant {milliseconds(time.toMSecsSinceEpoch())};
        const sys_days day = floor<days>(instant);
        const year_month_day ymd(day);
        const int year = int(ymd.year());
        if (year >= 1 && year <= 9999) {
            const hh_mm_ss<seconds> clock(floor<seconds>(instant - day));
            char text[16];
            writeDigits(text, 4, year);
            writeDigits(text + 4, 2, int(unsigned(ymd.month())));
            writeDigits(text + 6, 2, int(unsigned(ymd.day())));
            text[8] = 'T';
            writeDigits(text + 9, 2, int(clock.hours().count()));
            writeDigits(text + 11, 2, int(clock.minutes().count()));
            writeDigits(text + 13, 2, int(clock.seconds().count()));
            text[15] = 'Z';
            return QByteArray(text, sizeof text);
        }
    }
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
    const QByteArray bodyHash
        = received.body.isEmpty() ? kEmptySha256.toByteArray() : Sha256::toHex(Sha256::hash(received.body));
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
