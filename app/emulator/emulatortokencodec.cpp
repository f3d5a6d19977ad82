#include "emulatortokencodec.h"

#include "emulatorjson.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <cstring>

namespace pagewise
{

namespace
{

constexpr char kVersion = 1;
constexpr int kPayloadSize = 1 + 1 + 8 + 4 + 8;
constexpr int kMacSize = 12;

void putLittleEndian(char *out, quint64 value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out[i] = char((value >> (8 * i)) & 0xff);
}

quint64 getLittleEndian(const char *in, int bytes)
{
    quint64 value = 0;
    for (int i = 0; i < bytes; ++i)
        value |= quint64(quint8(in[i])) << (8 * i);
    return value;
}

} // namespace

EmulatorTokenCodec::EmulatorTokenCodec(quint64 seed)
{
    QByteArray material("pagewise-emulator-token-secret:");
    material.append(QByteArray::number(seed));
    m_secret = QCryptographicHash::hash(material, QCryptographicHash::Sha256);
}

quint64 EmulatorTokenCodec::listingHash(quint8 operation, QByteArrayView canonicalParameters)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(&operation), 1));
    hash.addData(canonicalParameters);
    const QByteArray digest = hash.result();
    return getLittleEndian(digest.constData(), 8);
}

QByteArray EmulatorTokenCodec::mac(QByteArrayView payload) const
{
    return QMessageAuthenticationCode::hash(payload.toByteArray(), m_secret, QCryptographicHash::Sha256).left(kMacSize);
}

QByteArray EmulatorTokenCodec::encode(const Position &position, quint64 listingHash) const
{
    char payload[kPayloadSize];
    payload[0] = kVersion;
    payload[1] = char(position.operation);
    putLittleEndian(payload + 2, position.offset, 8);
    putLittleEndian(payload + 10, position.page, 4);
    putLittleEndian(payload + 14, listingHash, 8);
    QByteArray raw(payload, kPayloadSize);
    raw.append(mac(raw));
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<EmulatorTokenCodec::Position> EmulatorTokenCodec::decode(
    QByteArrayView token, quint8 operation, quint64 listingHash, Problem *problem) const
{
    Problem dummy;
    Problem &result = problem ? *problem : dummy;
    result = Problem::Malformed;
    if (token.size() > 64)
        return std::nullopt;
    const auto decoded = QByteArray::fromBase64Encoding(
        token.toByteArray(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != kPayloadSize + kMacSize || decoded.decoded.at(0) != kVersion)
        return std::nullopt;
    const QByteArray &raw = decoded.decoded;
    // Only the canonical spelling: unused low bits of the last character must not give a second token.
    if (raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) != token)
        return std::nullopt;
    const QByteArray expected = mac(QByteArrayView(raw.constData(), kPayloadSize));
    // Constant-time comparison, as for any MAC.
    unsigned char diff = 0;
    for (int i = 0; i < kMacSize; ++i)
        diff |= static_cast<unsigned char>(expected.at(i) ^ raw.at(kPayloadSize + i));
    if (diff != 0) {
        result = Problem::Forged;
        return std::nullopt;
    }
    if (quint8(raw.at(1)) != operation || getLittleEndian(raw.constData() + 14, 8) != listingHash) {
        result = Problem::OtherListing;
        return std::nullopt;
    }
    Position position;
    position.operation = operation;
    position.offset = getLittleEndian(raw.constData() + 2, 8);
    position.page = quint32(getLittleEndian(raw.constData() + 10, 4));
    result = Problem::None;
    return position;
}

} // namespace pagewise
