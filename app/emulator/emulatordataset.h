#pragma once

#include "emulatorjson.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace pagewise
{

/// Many short strings in one buffer; id 0 means "absent".
class EmulatorStringPool
{
public:
    EmulatorStringPool();
    /// Appends without looking for an equal string (unique values such as names).
    quint32 add(QByteArrayView text);
    /// Returns the id of an equal string already in the pool, or adds it.
    quint32 intern(QByteArrayView text);
    QByteArrayView view(quint32 id) const
    {
        return QByteArrayView(m_text.data() + m_offsets[id], m_offsets[id + 1] - m_offsets[id]);
    }
    quint32 size() const { return quint32(m_offsets.size() - 1); }
    /// Hints the CPU to fetch what view(id) will read (listings in a random storage order).
    void prefetch(quint32 id) const
    {
        __builtin_prefetch(m_offsets.data() + id);
        __builtin_prefetch(m_text.data() + m_offsets[id]);
    }
    void finish(); ///< drops the lookup table once building is done

private:
    std::string m_text;
    std::vector<quint32> m_offsets;
    QHash<QByteArray, quint32> m_lookup;
};

/// One SageMaker image, compactly: strings live in EmulatorDataset's pools.
struct EmulatorImage {
    qint64 createdMs = 0;
    qint64 modifiedMs = 0;
    quint32 name = 0; ///< in names
    quint32 description = 0; ///< in texts, 0 = absent
    quint32 displayName = 0; ///< in texts, 0 = absent
    quint32 failureReason = 0; ///< in texts, 0 = absent (an empty reason is a present, empty string)
    quint16 arnPrefix = 0; ///< index into imageArnPrefixes: ImageArn = prefix + name
    quint8 status = 0; ///< index into imageStatuses()
    quint8 timeForm = 0; ///< bit 0: CreationTime in exponent form, bit 1: LastModifiedTime
};

struct EmulatorDatasetSummary {
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    quint32 name = 0; ///< in names
    quint32 arn = 0; ///< in names
    quint32 type = 0; ///< in texts, 0 = absent
    quint32 status = 0; ///< in texts, 0 = absent
    quint32 group = 0;
    quint8 timeForm = 0;
};

struct EmulatorSession {
    qint64 startedMs = 0;
    qint64 endedMs = -1; ///< -1 = absent
    qint64 updatedMs = -1; ///< -1 = absent
    quint32 worker = 0; ///< index into workers
    quint32 updatedBy = 0; ///< in texts, 0 = absent
    quint16 fleet = 0; ///< index into fleets
    quint8 status = 0; ///< index into sessionStatuses()
    quint8 targetEnded = 0; ///< 1: targetLifecycleStatus ENDED
    EmulatorId id {};
};

struct EmulatorDatasetGroup {
    QByteArray arn;
    QByteArray name;
    std::vector<quint32> datasets; ///< listing order
};

struct EmulatorJob {
    EmulatorId farm {}, queue {}, job {};
    quint32 begin = 0, end = 0; ///< range of sessions, in listing order
};

/// What was seeded, for --catalog and for tests that need real parent IDs.
struct EmulatorCatalog {
    struct DatasetGroup {
        QString arn;
        QString name;
        int datasets = 0;
    };
    struct Job {
        QString jobId;
        int sessions = 0;
    };
    struct Queue {
        QString queueId;
        QList<Job> jobs;
    };
    struct Farm {
        QString farmId;
        QList<Queue> queues;
    };
    quint64 seed = 0;
    int images = 0;
    int datasets = 0;
    int sessions = 0;
    QList<DatasetGroup> datasetGroups;
    QList<Farm> farms;

    QByteArray toJson() const;
};

/// Sizes and seed of generated data.
struct EmulatorDataSpec {
    quint64 seed = 1;
    int images = 3000;
    int datasetGroups = 8;
    int datasets = 2000;
    int farms = 3;
    int queuesPerFarm = 2;
    int jobsPerQueue = 4;
    int sessions = 20000;
};

/// The emulator's resources with prebuilt indexes in listing order. Immutable once built, so
/// one instance can serve any number of requests (and threads) without locking.
class EmulatorDataset
{
public:
    static const QList<QByteArray> &imageStatuses();
    static const QList<QByteArray> &sessionStatuses();
    static const QList<QByteArray> &datasetTypes();
    static const QList<QByteArray> &datasetStatuses();

    /// Deterministic data: the same spec gives the same resources in the same order.
    static std::shared_ptr<const EmulatorDataset> generate(const EmulatorDataSpec &spec);
    /// Resources from a --data document (see README); nullptr and *error on bad input.
    static std::shared_ptr<const EmulatorDataset> load(const QByteArray &json, QString *error);

    quint64 seed() const { return m_seed; }
    EmulatorCatalog catalog() const;

    // Images, with one ascending index per SortBy value (ties broken by name).
    std::vector<EmulatorImage> images;
    std::vector<quint32> imagesByCreation, imagesByModification, imagesByName;
    std::vector<QByteArray> imageArnPrefixes;

    // Datasets in listing order (newest first), all and per group.
    std::vector<EmulatorDatasetSummary> datasets;
    std::vector<quint32> datasetsInOrder;
    std::vector<EmulatorDatasetGroup> datasetGroups;
    QHash<QByteArray, quint32> datasetGroupByArn;

    // Sessions grouped by job, each job's sessions in listing order (oldest first).
    std::vector<EmulatorSession> sessions;
    std::vector<EmulatorJob> jobs;
    std::vector<EmulatorId> fleets, workers;

    EmulatorStringPool names; ///< image names, dataset names and ARNs
    EmulatorStringPool imageNamesLower; ///< image i's name in ASCII lower case at id i + 1 (NameContains)
    EmulatorStringPool texts; ///< shared descriptive strings (descriptions, statuses, ...)

    /// The job at farm/queue/job; when absent, *missing says which level was not found
    /// ("farm", "queue" or "job").
    const EmulatorJob *findJob(
        const EmulatorId &farm, const EmulatorId &queue, const EmulatorId &job, QByteArray *missing) const;

private:
    void buildIndexes();

    quint64 m_seed = 0;
    QHash<QByteArray, quint32> m_jobIndex; ///< farm+queue+job bytes -> index into jobs
    QHash<QByteArray, int> m_queues; ///< farm+queue bytes
    QHash<QByteArray, int> m_farms; ///< farm bytes
};

} // namespace pagewise
