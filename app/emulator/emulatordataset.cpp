#include "emulatordataset.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace pagewise
{

namespace
{

constexpr qint64 kRangeStartMs = 1546300800000LL; // 2019-01-01T00:00:00Z
constexpr qint64 kRangeEndMs = 1751241600000LL; // 2025-06-30T00:00:00Z
constexpr qint64 kDayMs = 86400000LL;

const char *const kImageWords[] = {"pytorch", "tensorflow", "sklearn", "xgboost", "huggingface", "spark", "rstudio",
    "jax", "custom", "team", "base", "vision", "nlp", "geo", "fraud", "recsys", "forecast", "genomics"};
const char *const kImageVariants[]
    = {"gpu", "cpu", "dev", "prod", "train", "infer", "nightly", "lts", "py310", "cuda12", "arm64", "slim"};
const char *const kDescriptions[] = {
    "Base image for data science notebooks",
    "GPU training image with CUDA 12 and cuDNN 8.9",
    "Bild f\xc3\xbcr Datenanalyse \xe2\x80\x93 gr\xc3\xb6\xc3\x9f"
    "ere Abh\xc3\xa4ngigkeiten",
    "Image de base pour l'\xc3\xa9quipe \xc2\xab ML \xc2\xbb",
    "\xe6\x95\xb0\xe6\x8d\xae\xe7\xa7\x91\xe5\xad\xa6\xe5\x9f\xba\xe7\xa1\x80\xe9\x95\x9c\xe5\x83\x8f",
    "\xe6\xa9\x9f\xe6\xa2\xb0\xe5\xad\xa6\xe7\xbf\x92\xe7\x94\xa8\xe3\x81\xae\xe3\x82\xab\xe3\x82\xb9\xe3\x82\xbf"
    "\xe3\x83\xa0\xe3\x82\xa4\xe3\x83\xa1\xe3\x83\xbc\xe3\x82\xb8",
    "\xf0\x9f\x9a\x80 Fast inference image",
    "Quotes \"inside\" and a back\\slash",
    "\xc3\x91"
    "and\xc3\xba team: an\xc3\xa1lisis de series temporales",
    "\xd0\x9e\xd0\xb1\xd1\x80\xd0\xb0\xd0\xb7 \xd0\xb4\xd0\xbb\xd1\x8f \xd0\xbe\xd0\xb1\xd1\x83\xd1\x87\xd0\xb5\xd0\xbd"
    "\xd0\xb8\xd1\x8f \xd0\xbc\xd0\xbe\xd0\xb4\xd0\xb5\xd0\xbb\xd0\xb5\xd0\xb9",
    "R 4.3 with tidyverse and Shiny",
    "Spark 3.5 ETL image\twith Delta Lake",
};
const char *const kDisplayNames[] = {
    "Base Py",
    "PyTorch GPU",
    "\xc3\x89quipe Vision",
    "\xe6\x95\xb0\xe6\x8d\xae\xe7\xa7\x91\xe5\xad\xa6",
    "Forecast \xe2\x80\x94 nightly",
    "Team R",
    "\xf0\x9f\x9a\x80 Inference",
    "Spark ETL",
    "Gr\xc3\xb6\xc3\x9f"
    "e Modelle (GPU)",
};
const char *const kFailureReasons[] = {
    "Role not assumable",
    "ECR image not found: 123456789012.dkr.ecr.us-east-1.amazonaws.com/team:latest",
    "Access denied to KMS key arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "",
    "Image version limit exceeded",
    "Timed out waiting for the image build",
};
const char *const kGroupWords[] = {"retail", "media", "travel", "grocery", "streaming", "fashion", "gaming", "news"};
const char *const kUpdatedBy[] = {
    "arn:aws:sts::123456789012:assumed-role/DeadlineFleetRole/worker-session",
    "arn:aws:iam::123456789012:user/render-admin",
    "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin/jos\xc3\xa9.garc\xc3\xad"
    "a@example.com",
    "arn:aws:sts::123456789012:assumed-role/DeadlineQueueRole/scheduler",
};

constexpr quint64 kImageSalt = 0x1001, kDatasetSalt = 0x2002, kSessionSalt = 0x3003, kIdSalt = 0x4004;

// Picks an index from cumulative percentages.
int weighted(quint64 hash, std::initializer_list<int> percents)
{
    int draw = int(hash % 100);
    int index = 0;
    for (int p : percents) {
        if (draw < p)
            return index;
        draw -= p;
        ++index;
    }
    return index - 1;
}

QByteArray base36(quint64 value, int width)
{
    QByteArray out;
    do {
        out.prepend("0123456789abcdefghijklmnopqrstuvwxyz"[value % 36]);
        value /= 36;
    } while (value);
    while (out.size() < width)
        out.prepend('0');
    return out;
}

EmulatorId makeId(quint64 seed, quint64 kind, quint64 index)
{
    EmulatorId id {};
    const quint64 a = emulatorHash(seed, kIdSalt, kind, index);
    const quint64 b = emulatorMix(a ^ 0x5bd1e995ULL);
    std::memcpy(id.data(), &a, 8);
    std::memcpy(id.data() + 8, &b, 8);
    return id;
}

QByteArray idKey(std::initializer_list<const EmulatorId *> ids)
{
    QByteArray key;
    for (const EmulatorId *id : ids)
        key.append(reinterpret_cast<const char *>(id->data()), 16);
    return key;
}

qint64 randomTime(quint64 hash, bool wholeSeconds)
{
    qint64 ms = kRangeStartMs + qint64(hash % quint64(kRangeEndMs - kRangeStartMs));
    if (wholeSeconds)
        ms -= ms % 1000;
    return ms;
}

// A later change of something made at `fromMs`: within `maxSpanMs` and the range, and none
// (fromMs itself) once in `unchangedOneIn`.
qint64 laterTime(qint64 fromMs, quint64 hash, qint64 maxSpanMs, quint64 unchangedOneIn)
{
    const qint64 room = std::min<qint64>(maxSpanMs, kRangeEndMs - fromMs);
    return (hash % unchangedOneIn == 0 || room <= 0) ? fromMs : fromMs + qint64(hash % quint64(room));
}

// The pool ids of `texts`, in order.
template<typename Texts>
std::vector<quint32> internAll(EmulatorStringPool &pool, const Texts &texts)
{
    std::vector<quint32> ids;
    for (const auto &text : texts)
        ids.push_back(pool.intern(QByteArrayView(text)));
    return ids;
}

// The index `key` has in `index`; a new key gets the one append() gives after storing its item.
template<typename Index, typename Append>
Index indexFor(QHash<QByteArray, Index> &index, const QByteArray &key, Append append)
{
    const auto it = index.constFind(key);
    if (it != index.constEnd())
        return it.value();
    const Index added = append();
    index.insert(key, added);
    return added;
}

} // namespace

EmulatorStringPool::EmulatorStringPool()
{
    m_offsets.push_back(0);
    m_offsets.push_back(0); // id 0: absent
}

quint32 EmulatorStringPool::add(QByteArrayView text)
{
    m_text.append(text.data(), size_t(text.size()));
    m_offsets.push_back(quint32(m_text.size()));
    return quint32(m_offsets.size() - 2);
}

quint32 EmulatorStringPool::intern(QByteArrayView text)
{
    return indexFor(m_lookup, text.toByteArray(), [&] { return add(text); });
}

void EmulatorStringPool::finish()
{
    m_lookup.clear();
    m_lookup.squeeze();
    m_text.shrink_to_fit();
    m_offsets.shrink_to_fit();
}

const QList<QByteArray> &EmulatorDataset::imageStatuses()
{
    static const QList<QByteArray> values
        = {"CREATING", "CREATED", "CREATE_FAILED", "UPDATING", "UPDATE_FAILED", "DELETING", "DELETE_FAILED"};
    return values;
}

const QList<QByteArray> &EmulatorDataset::sessionStatuses()
{
    static const QList<QByteArray> values
        = {"STARTED", "UPDATE_IN_PROGRESS", "UPDATE_SUCCEEDED", "UPDATE_FAILED", "ENDED"};
    return values;
}

const QList<QByteArray> &EmulatorDataset::datasetTypes()
{
    static const QList<QByteArray> values = {"Interactions", "Items", "Users", "Actions", "Action_Interactions"};
    return values;
}

const QList<QByteArray> &EmulatorDataset::datasetStatuses()
{
    static const QList<QByteArray> values
        = {"ACTIVE", "CREATE PENDING", "CREATE IN_PROGRESS", "CREATE FAILED", "DELETE PENDING", "DELETE IN_PROGRESS"};
    return values;
}

std::shared_ptr<const EmulatorDataset> EmulatorDataset::generate(const EmulatorDataSpec &spec)
{
    auto data = std::make_shared<EmulatorDataset>();
    const quint64 seed = spec.seed;
    data->m_seed = seed;

    // Images.
    data->imageArnPrefixes.push_back("arn:aws:sagemaker:us-east-1:123456789012:image/");
    const std::vector<quint32> descriptionIds = internAll(data->texts, kDescriptions);
    const std::vector<quint32> displayIds = internAll(data->texts, kDisplayNames);
    const std::vector<quint32> failureIds = internAll(data->texts, kFailureReasons);

    const int imageCount = std::max(0, spec.images);
    data->images.resize(size_t(imageCount));
    const int statusCount = int(imageStatuses().size());
    for (int i = 0; i < imageCount; ++i) {
        EmulatorImage &image = data->images[size_t(i)];
        const quint64 h = emulatorHash(seed, kImageSalt, quint64(i));
        const quint64 h2 = emulatorMix(h ^ 1), h3 = emulatorMix(h ^ 2), h4 = emulatorMix(h ^ 3);

        QByteArray name;
        const char *word = kImageWords[h % std::size(kImageWords)];
        const char *variant = kImageVariants[(h >> 8) % std::size(kImageVariants)];
        const char separator = (h2 % 10 == 0) ? '.' : '-';
        name = QByteArray(word) + separator + variant;
        if (h2 % 50 == 7)
            name += "-experimental-feature-branch";
        name += separator + base36(quint64(i), 4);
        if (h2 % 13 == 3)
            name[0] = char(name[0] - 'a' + 'A');
        image.name = data->names.add(name);

        image.createdMs = randomTime(h3, h3 % 4 == 0);
        image.modifiedMs = laterTime(image.createdMs, h4, 2 * 365 * kDayMs, 3);
        image.status = quint8(i < statusCount ? i : weighted(h >> 20, {6, 60, 6, 6, 6, 8, 8}));
        const QByteArray &status = imageStatuses().at(image.status);
        if (status.endsWith("_FAILED"))
            image.failureReason = failureIds[(h >> 28) % failureIds.size()];
        if ((h >> 36) % 4 != 0)
            image.description = descriptionIds[(h >> 40) % descriptionIds.size()];
        if ((h >> 44) % 10 >= 3)
            image.displayName = displayIds[(h >> 48) % displayIds.size()];
        image.timeForm = quint8((h >> 56) & 3);
    }

    // Dataset groups and datasets.
    const int groupCount = std::max(0, spec.datasetGroups);
    for (int g = 0; g < groupCount; ++g) {
        EmulatorDatasetGroup group;
        group.name = QByteArray(kGroupWords[g % std::size(kGroupWords)]) + '-' + QByteArray::number(g + 1);
        group.arn = "arn:aws:personalize:us-west-2:123456789012:dataset-group/" + group.name;
        data->datasetGroupByArn.insert(group.arn, quint32(g));
        data->datasetGroups.push_back(std::move(group));
    }
    const std::vector<quint32> typeIds = internAll(data->texts, datasetTypes());
    const std::vector<quint32> datasetStatusIds = internAll(data->texts, datasetStatuses());
    const int datasetCount = groupCount > 0 ? std::max(0, spec.datasets) : 0;
    data->datasets.resize(size_t(datasetCount));
    for (int i = 0; i < datasetCount; ++i) {
        EmulatorDatasetSummary &dataset = data->datasets[size_t(i)];
        const quint64 h = emulatorHash(seed, kDatasetSalt, quint64(i));
        const quint64 h2 = emulatorMix(h ^ 1), h3 = emulatorMix(h ^ 2);
        // Uneven on purpose: the first group gets a double share.
        const quint64 slot = h % quint64(groupCount + 1);
        dataset.group = quint32(i < groupCount ? i : (slot == quint64(groupCount) ? 0 : slot));
        const int type = i < int(typeIds.size()) ? i : int((h >> 16) % typeIds.size());
        dataset.type = typeIds[size_t(type)];
        dataset.status
            = datasetStatusIds[size_t(i < int(datasetStatusIds.size()) ? i : weighted(h >> 24, {70, 6, 6, 6, 6, 6}))];
        const QByteArray &groupName = data->datasetGroups[dataset.group].name;
        const QByteArray name = groupName + '-' + datasetTypes().at(type).toLower() + '-' + base36(quint64(i), 3);
        dataset.name = data->names.add(name);
        dataset.arn = data->names.add(
            QByteArray("arn:aws:personalize:us-west-2:123456789012:dataset/" + groupName + '/' + name));
        dataset.createdMs = randomTime(h2, h2 % 3 == 0);
        dataset.updatedMs = laterTime(dataset.createdMs, h3, 365 * kDayMs, 4);
        dataset.timeForm = quint8((h >> 56) & 3);
    }

    // Farms, queues, jobs and their sessions.
    const int farms = std::max(0, spec.farms), queuesPerFarm = std::max(0, spec.queuesPerFarm),
              jobsPerQueue = std::max(0, spec.jobsPerQueue);
    const int jobCount = farms * queuesPerFarm * jobsPerQueue;
    std::vector<quint64> weights;
    std::vector<int> jobFleetBase;
    for (int f = 0; f < farms; ++f) {
        const EmulatorId farm = makeId(seed, 1, quint64(f));
        for (int q = 0; q < queuesPerFarm; ++q) {
            const int queueIndex = f * queuesPerFarm + q;
            const EmulatorId queue = makeId(seed, 2, quint64(queueIndex));
            const int fleetBase = int(data->fleets.size());
            for (int k = 0; k < 2; ++k) {
                const int fleetIndex = int(data->fleets.size());
                data->fleets.push_back(makeId(seed, 4, quint64(fleetIndex)));
                for (int w = 0; w < 16; ++w)
                    data->workers.push_back(makeId(seed, 5, quint64(fleetIndex * 16 + w)));
            }
            for (int j = 0; j < jobsPerQueue; ++j) {
                const int jobIndex = queueIndex * jobsPerQueue + j;
                EmulatorJob job;
                job.farm = farm;
                job.queue = queue;
                job.job = makeId(seed, 3, quint64(jobIndex));
                data->jobs.push_back(job);
                jobFleetBase.push_back(fleetBase);
                // The last job stays empty so that empty listings are part of every data set.
                const bool empty = jobCount > 1 && jobIndex == jobCount - 1;
                weights.push_back(empty ? 0 : 1 + emulatorHash(seed, kSessionSalt, quint64(jobIndex)) % 4);
            }
        }
    }
    const int sessionCount = jobCount > 0 ? std::max(0, spec.sessions) : 0;
    quint64 totalWeight = 0;
    for (quint64 w : weights)
        totalWeight += w;
    if (totalWeight == 0 && jobCount > 0) {
        weights[0] = 1;
        totalWeight = 1;
    }
    std::vector<quint32> counts(size_t(jobCount), 0);
    quint64 assigned = 0;
    for (int j = 0; j < jobCount; ++j) {
        counts[size_t(j)] = quint32(quint64(sessionCount) * weights[size_t(j)] / std::max<quint64>(totalWeight, 1));
        assigned += counts[size_t(j)];
    }
    for (int j = 0; assigned < quint64(sessionCount); j = (j + 1) % jobCount) {
        if (weights[size_t(j)] == 0)
            continue;
        ++counts[size_t(j)];
        ++assigned;
    }

    const std::vector<quint32> updatedByIds = internAll(data->texts, kUpdatedBy);
    data->sessions.resize(size_t(sessionCount));
    quint32 next = 0;
    const int sessionStatusCount = int(sessionStatuses().size());
    for (int j = 0; j < jobCount; ++j) {
        EmulatorJob &job = data->jobs[size_t(j)];
        job.begin = next;
        job.end = next + counts[size_t(j)];
        const quint64 jh = emulatorHash(seed, kSessionSalt, quint64(j), 1);
        const qint64 jobStart = randomTime(jh, false) - 40 * kDayMs;
        const qint64 jobSpan = 30 * kDayMs;
        const quint32 count = std::max<quint32>(counts[size_t(j)], 1);
        const qint64 step = std::max<qint64>(jobSpan / count, 1);
        for (quint32 k = job.begin; k < job.end; ++k) {
            EmulatorSession &session = data->sessions[k];
            const quint64 h = emulatorHash(seed, kSessionSalt, quint64(k), 2);
            const quint64 h2 = emulatorMix(h ^ 1);
            session.id = makeId(seed, 6, k);
            session.startedMs = jobStart + qint64(k - job.begin) * step + (step > 1 ? qint64(h % quint64(step)) : 0);
            if (h2 % 5 == 0)
                session.startedMs -= session.startedMs % 1000;
            session.fleet = quint16(jobFleetBase[size_t(j)] + int((h >> 8) & 1));
            session.worker = quint32(session.fleet) * 16 + quint32((h >> 9) % 16);
            session.status = quint8(k < quint32(sessionStatusCount) ? k : weighted(h >> 16, {12, 8, 8, 7, 65}));
            const QByteArray &status = sessionStatuses().at(session.status);
            const qint64 duration = 60000 + qint64((h >> 24) % quint64(10 * 3600000));
            if (status == "ENDED") {
                session.endedMs = session.startedMs + duration;
                session.targetEnded = (h2 >> 8) % 5 != 0;
            } else if (status == "STARTED") {
                session.targetEnded = (h2 >> 8) % 5 == 0;
            }
            if ((h2 >> 16) % 10 < 7) {
                session.updatedMs = session.endedMs >= 0 ? session.endedMs : session.startedMs + duration / 2;
                session.updatedBy = updatedByIds[(h2 >> 24) % updatedByIds.size()];
            }
        }
        next = job.end;
    }

    data->buildIndexes();
    return data;
}

namespace
{

std::optional<qint64> timeFromJson(const QJsonValue &value)
{
    if (value.isDouble())
        return qint64(std::llround(value.toDouble() * 1000.0));
    if (value.isString()) {
        const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (time.isValid())
            return time.toMSecsSinceEpoch();
    }
    return std::nullopt;
}

QByteArray utf8(const QJsonObject &object, QLatin1String key)
{
    return object.value(key).toString().toUtf8();
}

} // namespace

std::shared_ptr<const EmulatorDataset> EmulatorDataset::load(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (!document.isObject()) {
        *error = QStringLiteral("the data file is not a JSON object: %1").arg(parseError.errorString());
        return nullptr;
    }
    const QJsonObject root = document.object();
    auto data = std::make_shared<EmulatorDataset>();
    data->m_seed = quint64(root.value(QLatin1String("seed")).toInteger(1));
    const auto fail = [error](const QString &where, const QString &what) {
        *error = where + QStringLiteral(": ") + what;
        return nullptr;
    };
    // An optional text member: its id in the pool, 0 when the member is absent.
    const auto optionalText = [&data](const QJsonObject &object, QLatin1String key) -> quint32 {
        return object.contains(key) ? data->texts.intern(utf8(object, key)) : 0;
    };

    QHash<QByteArray, quint16> arnPrefixes;
    const QJsonArray images = root.value(QLatin1String("images")).toArray();
    for (qsizetype i = 0; i < images.size(); ++i) {
        const QJsonObject object = images.at(i).toObject();
        const QString where = QStringLiteral("images[%1]").arg(i);
        const QByteArray name = utf8(object, QLatin1String("ImageName"));
        const QByteArray arn = utf8(object, QLatin1String("ImageArn"));
        if (name.isEmpty())
            return fail(where, QStringLiteral("ImageName is required"));
        if (!arn.endsWith(QByteArray("image/" + name)))
            return fail(where, QStringLiteral("ImageArn must end in image/<ImageName>"));
        const auto created = timeFromJson(object.value(QLatin1String("CreationTime")));
        const auto modified = timeFromJson(object.value(QLatin1String("LastModifiedTime")));
        if (!created || !modified)
            return fail(where, QStringLiteral("CreationTime and LastModifiedTime must be epoch seconds or ISO-8601"));
        const qsizetype status = imageStatuses().indexOf(utf8(object, QLatin1String("ImageStatus")));
        if (status < 0)
            return fail(where,
                QStringLiteral("ImageStatus must be one of %1").arg(QString::fromLatin1(imageStatuses().join(", "))));
        EmulatorImage image;
        image.name = data->names.add(name);
        const QByteArray prefix = arn.left(arn.size() - name.size());
        image.arnPrefix = indexFor(arnPrefixes, prefix, [&] {
            data->imageArnPrefixes.push_back(prefix);
            return quint16(data->imageArnPrefixes.size() - 1);
        });
        image.createdMs = *created;
        image.modifiedMs = *modified;
        image.status = quint8(status);
        image.description = optionalText(object, QLatin1String("Description"));
        image.displayName = optionalText(object, QLatin1String("DisplayName"));
        image.failureReason = optionalText(object, QLatin1String("FailureReason"));
        image.timeForm = quint8(emulatorHash(data->m_seed, kImageSalt, quint64(i)) >> 62);
        data->images.push_back(image);
    }

    const auto groupFor = [&data](const QByteArray &arn) {
        return indexFor(data->datasetGroupByArn, arn, [&] {
            EmulatorDatasetGroup group;
            group.arn = arn;
            const qsizetype slash = arn.lastIndexOf('/');
            group.name = slash >= 0 ? arn.mid(slash + 1) : arn;
            data->datasetGroups.push_back(group);
            return quint32(data->datasetGroups.size() - 1);
        });
    };
    for (const QJsonValue &value : root.value(QLatin1String("datasetGroups")).toArray())
        groupFor(
            value.isString() ? value.toString().toUtf8() : utf8(value.toObject(), QLatin1String("datasetGroupArn")));
    const QJsonArray datasets = root.value(QLatin1String("datasets")).toArray();
    for (qsizetype i = 0; i < datasets.size(); ++i) {
        const QJsonObject object = datasets.at(i).toObject();
        const QString where = QStringLiteral("datasets[%1]").arg(i);
        const QByteArray groupArn = utf8(object, QLatin1String("datasetGroupArn"));
        const QByteArray arn = utf8(object, QLatin1String("datasetArn"));
        if (groupArn.isEmpty() || arn.isEmpty())
            return fail(where, QStringLiteral("datasetGroupArn and datasetArn are required"));
        EmulatorDatasetSummary dataset;
        dataset.group = groupFor(groupArn);
        dataset.arn = data->names.add(arn);
        dataset.name
            = object.contains(QLatin1String("name")) ? data->names.add(utf8(object, QLatin1String("name"))) : 0;
        dataset.type = optionalText(object, QLatin1String("datasetType"));
        dataset.status = optionalText(object, QLatin1String("status"));
        const auto created = timeFromJson(object.value(QLatin1String("creationDateTime")));
        const auto updated = timeFromJson(object.value(QLatin1String("lastUpdatedDateTime")));
        dataset.createdMs = created.value_or(-1);
        dataset.updatedMs = updated.value_or(-1);
        dataset.timeForm = quint8(emulatorHash(data->m_seed, kDatasetSalt, quint64(i)) >> 62);
        data->datasets.push_back(dataset);
    }

    const auto parseIds = [](const QJsonObject &object, EmulatorJob *job) {
        return parsePrefixedId(utf8(object, QLatin1String("farmId")), "farm-", &job->farm)
            && parsePrefixedId(utf8(object, QLatin1String("queueId")), "queue-", &job->queue)
            && parsePrefixedId(utf8(object, QLatin1String("jobId")), "job-", &job->job);
    };
    QHash<QByteArray, quint32> jobIndex;
    std::vector<std::vector<EmulatorSession>> perJob;
    const auto jobFor = [&](const EmulatorJob &job) {
        return indexFor(jobIndex, idKey({&job.farm, &job.queue, &job.job}), [&] {
            data->jobs.push_back(job);
            perJob.emplace_back();
            return quint32(data->jobs.size() - 1);
        });
    };
    const QJsonArray jobs = root.value(QLatin1String("jobs")).toArray();
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        EmulatorJob job;
        if (!parseIds(jobs.at(i).toObject(), &job))
            return fail(QStringLiteral("jobs[%1]").arg(i),
                QStringLiteral("farmId, queueId and jobId must match "
                               "farm-/queue-/job-[0-9a-f]{32}"));
        jobFor(job);
    }
    QHash<QByteArray, quint32> fleetIndex, workerIndex;
    const auto pooled = [](QHash<QByteArray, quint32> &index, std::vector<EmulatorId> &pool, const EmulatorId &id) {
        return indexFor(index, idKey({&id}), [&] {
            pool.push_back(id);
            return quint32(pool.size() - 1);
        });
    };
    const QJsonArray sessions = root.value(QLatin1String("sessions")).toArray();
    for (qsizetype i = 0; i < sessions.size(); ++i) {
        const QJsonObject object = sessions.at(i).toObject();
        const QString where = QStringLiteral("sessions[%1]").arg(i);
        EmulatorJob job;
        if (!parseIds(object, &job))
            return fail(where, QStringLiteral("farmId, queueId and jobId must match farm-/queue-/job-[0-9a-f]{32}"));
        EmulatorSession session;
        EmulatorId fleet {}, worker {};
        if (!parsePrefixedId(utf8(object, QLatin1String("sessionId")), "session-", &session.id)
            || !parsePrefixedId(utf8(object, QLatin1String("fleetId")), "fleet-", &fleet)
            || !parsePrefixedId(utf8(object, QLatin1String("workerId")), "worker-", &worker))
            return fail(where,
                QStringLiteral("sessionId, fleetId and workerId must match "
                               "session-/fleet-/worker-[0-9a-f]{32}"));
        const auto started = timeFromJson(object.value(QLatin1String("startedAt")));
        if (!started)
            return fail(where, QStringLiteral("startedAt must be ISO-8601 or epoch seconds"));
        const qsizetype status = sessionStatuses().indexOf(utf8(object, QLatin1String("lifecycleStatus")));
        if (status < 0)
            return fail(where,
                QStringLiteral("lifecycleStatus must be one of %1")
                    .arg(QString::fromLatin1(sessionStatuses().join(", "))));
        session.startedMs = *started;
        session.status = quint8(status);
        session.endedMs = timeFromJson(object.value(QLatin1String("endedAt"))).value_or(-1);
        session.updatedMs = timeFromJson(object.value(QLatin1String("updatedAt"))).value_or(-1);
        session.targetEnded = object.value(QLatin1String("targetLifecycleStatus")).toString() == QLatin1String("ENDED");
        session.updatedBy = optionalText(object, QLatin1String("updatedBy"));
        const quint32 fleetId = pooled(fleetIndex, data->fleets, fleet);
        if (fleetId > 0xffff)
            return fail(where, QStringLiteral("more than 65536 distinct fleets"));
        session.fleet = quint16(fleetId);
        session.worker = pooled(workerIndex, data->workers, worker);
        perJob[jobFor(job)].push_back(session);
    }
    for (size_t j = 0; j < data->jobs.size(); ++j) {
        data->jobs[j].begin = quint32(data->sessions.size());
        data->sessions.insert(data->sessions.end(), perJob[j].begin(), perJob[j].end());
        data->jobs[j].end = quint32(data->sessions.size());
    }
    data->buildIndexes();
    return data;
}

void EmulatorDataset::buildIndexes()
{
    const auto fill = [](std::vector<quint32> &index, size_t n) {
        index.resize(n);
        for (size_t i = 0; i < n; ++i)
            index[i] = quint32(i);
    };
    const auto nameLess
        = [this](quint32 a, quint32 b) { return names.view(images[a].name).compare(names.view(images[b].name)) < 0; };
    std::vector<quint32> order;
    fill(order, images.size());
    std::sort(order.begin(), order.end(), nameLess);
    // Rank by name so that time ties are broken by name without comparing strings again.
    std::vector<quint32> nameRank(images.size());
    for (size_t r = 0; r < order.size(); ++r)
        nameRank[order[r]] = quint32(r);
    std::sort(order.begin(), order.end(), [&](quint32 a, quint32 b) {
        if (images[a].createdMs != images[b].createdMs)
            return images[a].createdMs < images[b].createdMs;
        return nameRank[a] < nameRank[b];
    });
    // Store images in creation order, and datasets in listing order, with their strings in the
    // same order: the default listings then read memory front to back.
    {
        std::vector<EmulatorImage> sorted(images.size());
        std::vector<quint32> sortedRank(images.size());
        for (size_t i = 0; i < order.size(); ++i) {
            sorted[i] = images[order[i]];
            sortedRank[i] = nameRank[order[i]];
        }
        images = std::move(sorted);
        nameRank = std::move(sortedRank);
    }
    std::vector<quint32> datasetOrder;
    fill(datasetOrder, datasets.size());
    std::sort(datasetOrder.begin(), datasetOrder.end(), [this](quint32 a, quint32 b) {
        if (datasets[a].createdMs != datasets[b].createdMs)
            return datasets[a].createdMs > datasets[b].createdMs;
        return names.view(datasets[a].arn).compare(names.view(datasets[b].arn)) < 0;
    });
    {
        std::vector<EmulatorDatasetSummary> sorted(datasets.size());
        for (size_t i = 0; i < datasetOrder.size(); ++i)
            sorted[i] = datasets[datasetOrder[i]];
        datasets = std::move(sorted);
    }
    EmulatorStringPool rebuilt;
    for (EmulatorImage &image : images)
        image.name = rebuilt.add(names.view(image.name));
    for (EmulatorDatasetSummary &dataset : datasets) {
        dataset.name = dataset.name ? rebuilt.add(names.view(dataset.name)) : 0;
        dataset.arn = rebuilt.add(names.view(dataset.arn));
    }
    names = std::move(rebuilt);

    imageNamesLower = EmulatorStringPool();
    for (const EmulatorImage &image : images)
        imageNamesLower.add(names.view(image.name).toByteArray().toLower());
    imageNamesLower.finish();
    fill(imagesByCreation, images.size());
    imagesByName.assign(images.size(), 0);
    for (size_t i = 0; i < images.size(); ++i)
        imagesByName[nameRank[i]] = quint32(i);
    fill(imagesByModification, images.size());
    std::sort(imagesByModification.begin(), imagesByModification.end(), [&](quint32 a, quint32 b) {
        if (images[a].modifiedMs != images[b].modifiedMs)
            return images[a].modifiedMs < images[b].modifiedMs;
        return nameRank[a] < nameRank[b];
    });

    // Datasets: newest first, ties by ARN (the storage order).
    fill(datasetsInOrder, datasets.size());
    for (EmulatorDatasetGroup &group : datasetGroups)
        group.datasets.clear();
    for (quint32 d : datasetsInOrder)
        datasetGroups[datasets[d].group].datasets.push_back(d);

    // Sessions: oldest first within each job, ties by session id.
    for (const EmulatorJob &job : jobs) {
        std::sort(sessions.begin() + job.begin, sessions.begin() + job.end,
            [](const EmulatorSession &a, const EmulatorSession &b) {
                if (a.startedMs != b.startedMs)
                    return a.startedMs < b.startedMs;
                return a.id < b.id;
            });
    }
    m_jobIndex.clear();
    m_queues.clear();
    m_farms.clear();
    for (size_t j = 0; j < jobs.size(); ++j) {
        const EmulatorJob &job = jobs[j];
        m_jobIndex.insert(idKey({&job.farm, &job.queue, &job.job}), quint32(j));
        m_queues.insert(idKey({&job.farm, &job.queue}), 0);
        m_farms.insert(idKey({&job.farm}), 0);
    }
    names.finish();
    texts.finish();
}

const EmulatorJob *EmulatorDataset::findJob(
    const EmulatorId &farm, const EmulatorId &queue, const EmulatorId &job, QByteArray *missing) const
{
    const auto it = m_jobIndex.constFind(idKey({&farm, &queue, &job}));
    if (it != m_jobIndex.constEnd())
        return &jobs[it.value()];
    if (!m_farms.contains(idKey({&farm})))
        *missing = "farm";
    else if (!m_queues.contains(idKey({&farm, &queue})))
        *missing = "queue";
    else
        *missing = "job";
    return nullptr;
}

EmulatorCatalog EmulatorDataset::catalog() const
{
    EmulatorCatalog catalog;
    catalog.seed = m_seed;
    catalog.images = int(images.size());
    catalog.datasets = int(datasets.size());
    catalog.sessions = int(sessions.size());
    for (const EmulatorDatasetGroup &group : datasetGroups)
        catalog.datasetGroups.append(
            {QString::fromUtf8(group.arn), QString::fromUtf8(group.name), int(group.datasets.size())});
    const auto hex = [](const char *prefix, const EmulatorId &id) {
        QByteArray text(prefix);
        appendHexId(text, id);
        return QString::fromLatin1(text);
    };
    for (const EmulatorJob &job : jobs) {
        const QString farmId = hex("farm-", job.farm), queueId = hex("queue-", job.queue);
        if (catalog.farms.isEmpty() || catalog.farms.last().farmId != farmId)
            catalog.farms.append({farmId, {}});
        EmulatorCatalog::Farm &farm = catalog.farms.last();
        if (farm.queues.isEmpty() || farm.queues.last().queueId != queueId)
            farm.queues.append({queueId, {}});
        farm.queues.last().jobs.append({hex("job-", job.job), int(job.end - job.begin)});
    }
    return catalog;
}

QByteArray EmulatorCatalog::toJson() const
{
    QJsonObject root;
    root.insert(QLatin1String("seed"), QString::number(seed));
    root.insert(QLatin1String("images"), images);
    root.insert(QLatin1String("datasets"), datasets);
    root.insert(QLatin1String("sessions"), sessions);
    QJsonArray groups;
    for (const DatasetGroup &group : datasetGroups)
        groups.append(QJsonObject {{QLatin1String("datasetGroupArn"), group.arn}, {QLatin1String("name"), group.name},
            {QLatin1String("datasets"), group.datasets}});
    root.insert(QLatin1String("datasetGroups"), groups);
    QJsonArray farmArray;
    for (const Farm &farm : farms) {
        QJsonArray queueArray;
        int farmSessions = 0;
        for (const Queue &queue : farm.queues) {
            QJsonArray jobArray;
            int queueSessions = 0;
            for (const Job &job : queue.jobs) {
                jobArray.append(
                    QJsonObject {{QLatin1String("jobId"), job.jobId}, {QLatin1String("sessions"), job.sessions}});
                queueSessions += job.sessions;
            }
            queueArray.append(QJsonObject {{QLatin1String("queueId"), queue.queueId}, {QLatin1String("jobs"), jobArray},
                {QLatin1String("sessions"), queueSessions}});
            farmSessions += queueSessions;
        }
        farmArray.append(QJsonObject {{QLatin1String("farmId"), farm.farmId}, {QLatin1String("queues"), queueArray},
            {QLatin1String("sessions"), farmSessions}});
    }
    root.insert(QLatin1String("farms"), farmArray);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace pagewise
