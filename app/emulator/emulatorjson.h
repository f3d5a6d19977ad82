#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <cstdint>
#include <cstring>

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
/// buffer that goes on the wire. Writes go through a raw pointer into spare capacity; call
/// finish() (or let the writer go out of scope) before reading the buffer.
class EmulatorJsonWriter
{
public:
    explicit EmulatorJsonWriter(QByteArray &out)
        : m_out(out)
        , m_size(out.size())
    {
    }
    ~EmulatorJsonWriter() { finish(); }
    Q_DISABLE_COPY_MOVE(EmulatorJsonWriter)

    /// Trims the buffer to what was written. Writing may continue afterwards.
    void finish()
    {
        if (m_out.size() != m_size)
            m_out.resize(m_size);
        m_data = nullptr;
    }

    void raw(QByteArrayView text) { put(text.data(), text.size()); }
    void raw(char c)
    {
        ensure(1);
        m_data[m_size++] = c;
    }
    /// "key": with a leading comma when it is not the first member of its object.
    void key(QByteArrayView name, bool first)
    {
        ensure(name.size() + 4);
        if (!first)
            m_data[m_size++] = ',';
        m_data[m_size++] = '"';
        std::memcpy(m_data + m_size, name.data(), size_t(name.size()));
        m_size += name.size();
        m_data[m_size++] = '"';
        m_data[m_size++] = ':';
    }
    /// A JSON string, escaped; non-ASCII UTF-8 passes through unchanged.
    void string(QByteArrayView utf8);
    void integer(qint64 value);
    /// Epoch seconds from milliseconds, either plain ("1714564800.123") or in the exponent
    /// form Java services send ("1.714564800123E9").
    void epochSeconds(qint64 milliseconds, bool exponentForm);
    /// "2024-05-01T12:34:56.789Z" (milliseconds only when non-zero), quoted.
    void isoTimestamp(qint64 milliseconds);
    /// "prefix" + 32 lower-case hex digits, quoted.
    void prefixedId(QByteArrayView prefix, const EmulatorId &id);

private:
    void put(const char *data, qsizetype size)
    {
        if (size == 0)
            return; // data may be null for an empty string, which memcpy must not be given
        ensure(size);
        std::memcpy(m_data + m_size, data, size_t(size));
        m_size += size;
    }
    void ensure(qsizetype extra)
    {
        if (!m_data || m_size + extra > m_out.size())
            grow(extra);
    }
    void grow(qsizetype extra);

    QByteArray &m_out;
    qsizetype m_size;
    char *m_data = nullptr;
};

/// Appends 32 lower-case hex digits.
void appendHexId(QByteArray &out, const EmulatorId &id);
/// Parses 32 lower-case hex digits after prefix; false when value does not match prefix[0-9a-f]{32}.
bool parsePrefixedId(QByteArrayView value, QByteArrayView prefix, EmulatorId *id);
/// "2024-05-01T12:34:56.789Z" as text.
QByteArray isoTimestampText(qint64 milliseconds);

} // namespace pagewise
