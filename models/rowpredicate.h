#pragma once

#include "localfilter.h"

#include <QString>
#include <QtGlobal>

#include <vector>

namespace pagewise
{

class ResourceRowStore;

/// A LocalFilter compiled against one store's typed columns: pooled columns are decided once
/// per distinct value, ids are matched on their bytes' text without building a QString, and
/// time ranges compare milliseconds.
class RowPredicate
{
public:
    RowPredicate(const ResourceRowStore &store, const LocalFilter &filter);

    /// Call after rows were appended (new pool entries get decided).
    void refresh();
    bool matches(quint32 row) const;
    int count(int first, int last) const;

private:
    /// A pooled column's values decided once each, extended as its pool grows.
    struct PoolDecisions {
        std::vector<quint8> matches; ///< per pool index
        int decidedPoolSize = -1;
        int encoding = -1;
    };
    struct TextTarget {
        int column = -1;
        PoolDecisions pool;
    };
    struct TextCondition {
        QString needle; ///< case-folded
        std::vector<TextTarget> targets;
    };
    struct OneOfCondition {
        int column = -1;
        QStringList values;
        PoolDecisions pool;
    };
    struct TimeCondition {
        int column = -1;
        qint64 from = 0;
        qint64 to = 0;
    };

    bool textMatches(const TextCondition &condition, quint32 row) const;
    bool textTargetMatches(const QString &needle, const TextTarget &target, quint32 row) const;

    const ResourceRowStore &m_store;
    std::vector<TextCondition> m_texts;
    std::vector<OneOfCondition> m_oneOfs;
    std::vector<TimeCondition> m_times;
    bool m_matchesNothing = false;
};

} // namespace pagewise
