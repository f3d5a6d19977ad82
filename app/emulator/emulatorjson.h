#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <cstdint>

namespace pagewise
{

/// Deterministic mixing for generated data, tokens and fault draws (splitmix64).
inline quint64 emulatorMix(quint64 value)
{
    value += 0x9e3779b97f4a7c15ULL;
    value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
    value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
    return value ^ (value >> 31);
}

inline quint64 emulatorHash(quint64 a, quint64 b, quint64 c = 0, quint64 d = 0)
{
    return emulatorMix(emulatorMix(emulatorMix(emulatorMix(a) ^ b) ^ c) ^ d);
}

/// A uniform double in [0,1) from a hash value.
inline double emulatorUnit(quint64 hash)
{
    return double(hash >> 11) * (1.0 / 9007199254740992.0);
}

/// A 128-bit resource id ("farm-" + 32 hex digits without the prefix).
using EmulatorId = std::array<quint8, 16>;

/// Appends JSON text by hand: responses are built without QJsonDocument, straight into the
/// buffer that goes on the wire.
class EmulatorJsonWriter
{
public:
    explicit EmulatorJsonWriter(QByteArray &out)
        : m_out(out)
    {
    }

    void raw(QByteArrayView text) { m_out.append(text.data(), text.size()); }
    void raw(char c) { m_out.append(c); }
    /// "key": with a leading comma when it is not the first member of its object.
    void key(QByteArrayView name, bool first)
    {
        if (!first)
            m_out.append(',');
        m_out.append('"');
        m_out.append(name.data(), name.size());
        m_out.append("\":", 2);
    }
    /// A JSON string, escaped; non-ASCII UTF-8 passes through unchanged.
    void string(QByteArrayView utf8);
    void integer(qint64 value);
    /// Epoch seconds from milliseconds, either plain ("1714564800.123") or in the exponent
    /// form Java services send ("1.714564800123E9").
    void epochSeconds(qint64 milliseconds, bool exponentForm);
    /// "2024-05-01T12:34:56.789Z" (milliseconds only when non-zero).
    void isoTimestamp(qint64 milliseconds);
    /// "prefix" + 32 lower-case hex digits, quoted.
    void prefixedId(QByteArrayView prefix, const EmulatorId &id);

private:
    QByteArray &m_out;
};

/// Appends 32 lower-case hex digits.
void appendHexId(QByteArray &out, const EmulatorId &id);
/// Parses 32 lower-case hex digits after prefix; false when value does not match prefix[0-9a-f]{32}.
bool parsePrefixedId(QByteArrayView value, QByteArrayView prefix, EmulatorId *id);
/// "2024-05-01T12:34:56.789Z" as text.
QByteArray isoTimestampText(qint64 milliseconds);

} // namespace pagewise
