#include "page.h"

#include "rawpage.h"

namespace pagewise
{

void Page::dropFirstItems(qsizetype n)
{
    if (n <= 0)
        return;
    if (isRaw()) {
        n = qMin(n, raw.count);
        raw.first += n;
        raw.count -= n;
    } else if (n >= items.size()) {
        items = QJsonArray();
    } else {
        while (n-- > 0)
            items.removeFirst();
    }
}

void Page::keepFirstItems(qsizetype n)
{
    n = qMax<qsizetype>(n, 0);
    if (isRaw()) {
        raw.count = qMin(n, raw.count);
        return;
    }
    while (items.size() > n)
        items.removeLast();
}

QJsonArray Page::jsonItems() const
{
    if (!isRaw())
        return items;
    QJsonArray converted;
    for (qsizetype i = 0; i < raw.count; ++i)
        converted.append(rawToJson(rawItem(raw, i)));
    return converted;
}

} // namespace pagewise
