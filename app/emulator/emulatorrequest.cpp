#include "emulatorrequest.h"

namespace pagewise
{

namespace
{

QByteArray findHeader(const QList<std::pair<QByteArray, QByteArray>> &headers, QByteArrayView name)
{
    QByteArray value;
    bool found = false;
    for (const auto &[key, headerValue] : headers) {
        if (key.size() != name.size() || QByteArrayView(key).compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (found)
            value.append(',');
        value.append(headerValue);
        found = true;
    }
    return value;
}

} // namespace

QByteArray EmulatorRequest::header(QByteArrayView name) const
{
    return findHeader(headers, name);
}

bool EmulatorRequest::hasHeader(QByteArrayView name) const
{
    for (const auto &header : headers) {
        if (QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray EmulatorResponse::header(QByteArrayView name) const
{
    return findHeader(headers, name);
}

} // namespace pagewise
