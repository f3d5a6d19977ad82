#include "kinds/resourcekind.h"
#include "paging/pagetoken.h"
#include "paging/queryvalidator.h"
#include "sessionids.h"

#include <QDateTime>
#include <QTest>

using namespace pagewise;
using namespace pagewise::testing;
using namespace Qt::StringLiterals;

namespace
{

const QString groupArn = u"arn:aws:personalize:us-west-2:123456789012:dataset-group/shop"_s;

QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
}

} // namespace

class tst_QueryValidator : public QObject
{
    Q_OBJECT

private slots:
    void validates_data();
    void validates();
    void matchesJavaPatternsAgainstTheWholeValue_data();
    void matchesJavaPatternsAgainstTheWholeValue();
    void turnsTheFirstErrorIntoAnAwsError();
};

void tst_QueryValidator::validates_data()
{
    QTest::addColumn<ListQuery>("query");
    QTest::addColumn<QStringList>("parameters"); ///< parameters at fault, in order
    QTest::addColumn<QStringList>("messages"); ///< each message contains this text

    const QString nameRule
        = u"Name contains must be at least one character and contain only letters, digits, '-' or '.'"_s;

    // Accepted
    QTest::addRow("images, nothing set") << ListQuery {u"images"_s, {}, {}, {}, {}} << QStringList() << QStringList();
    QTest::addRow("images, everything set") << ListQuery {u"images"_s,
        {{u"NameContains"_s, u"base-py.2"_s}, {u"SortBy"_s, u"IMAGE_NAME"_s}, {u"SortOrder"_s, u"ASCENDING"_s},
            {u"CreationTimeAfter"_s, utc("2024-01-01T00:00:00Z")},
            {u"CreationTimeBefore"_s, utc("2024-01-01T00:00:00Z")},
            {u"LastModifiedTimeAfter"_s, utc("2023-01-01T00:00:00Z")}},
        100, 1, u"T2"_s} << QStringList() << QStringList();
    QTest::addRow("sessions, ids") << ListQuery {u"sessions"_s, sessionIds(), 1, {}, {}} << QStringList()
                                   << QStringList();
    QTest::addRow("datasets, group ARN") << ListQuery {u"datasets"_s, {{u"datasetGroupArn"_s, groupArn}}, {}, {}, {}}
                                         << QStringList() << QStringList();
    QTest::addRow("datasets, botocore starting token")
        << ListQuery {u"datasets"_s, {}, {}, {}, PageToken {u"abc"_s, 1}.encode(u"nextToken"_s)} << QStringList()
        << QStringList();

    // Required and patterns
    QTest::addRow("sessions, nothing set")
        << ListQuery {u"sessions"_s, {}, {}, {}, {}} << QStringList {u"farmId"_s, u"queueId"_s, u"jobId"_s}
        << QStringList {u"Farm ID is required"_s, u"Queue ID is required"_s, u"Job ID is required"_s};
    QTest::addRow("sessions, empty farm id") << ListQuery {u"sessions"_s, sessionIds(QString()), {}, {}, {}}
                                             << QStringList {u"farmId"_s} << QStringList {u"Farm ID is required"_s};
    QTest::addRow("sessions, short farm id")
        << ListQuery {u"sessions"_s, sessionIds(u"farm-12"_s), {}, {}, {}} << QStringList {u"farmId"_s}
        << QStringList {u"Farm ID must look like farm- followed by 32 lower-case hexadecimal digits (got 'farm-12')"_s};
    QTest::addRow("sessions, upper-case hex") << ListQuery {u"sessions"_s, sessionIds(farm.toUpper()), {}, {}, {}}
                                              << QStringList {u"farmId"_s} << QStringList {u"Farm ID must look like"_s};
    QTest::addRow("sessions, match inside a longer value")
        << ListQuery {u"sessions"_s, sessionIds(QString(u"x"_s + farm + u"0"_s)), {}, {}, {}}
        << QStringList {u"farmId"_s} << QStringList {u"Farm ID must look like"_s};
    QTest::addRow("sessions, trailing newline") << ListQuery {u"sessions"_s, sessionIds(QString(farm + u"\n"_s)), {},
        {}, {}} << QStringList {u"farmId"_s} << QStringList {u"Farm ID must look like"_s};
    QTest::addRow("images, space in name")
        << ListQuery {u"images"_s, {{u"NameContains"_s, u"base py"_s}}, {}, {}, {}} << QStringList {u"NameContains"_s}
        << QStringList {nameRule + u" (got 'base py')"_s};
    QTest::addRow("images, empty name") << ListQuery {u"images"_s, {{u"NameContains"_s, QString()}}, {}, {}, {}}
                                        << QStringList {u"NameContains"_s} << QStringList {nameRule + u" (got '')"_s};
    QTest::addRow("images, name too long")
        << ListQuery {u"images"_s, {{u"NameContains"_s, QString(64, u'a')}}, {}, {}, {}}
        << QStringList {u"NameContains"_s}
        << QStringList {u"Name contains must be at most 63 characters long (got 64 characters)"_s};
    QTest::addRow("images, name not text") << ListQuery {u"images"_s, {{u"NameContains"_s, 5}}, {}, {}, {}}
                                           << QStringList {u"NameContains"_s} << QStringList {u"must be text"_s};
    QTest::addRow("datasets, not a Personalize ARN")
        << ListQuery {u"datasets"_s, {{u"datasetGroupArn"_s, u"arn:aws:s3:::bucket"_s}}, {}, {}, {}}
        << QStringList {u"datasetGroupArn"_s}
        << QStringList {
               u"Dataset group ARN must be an ARN matching arn:([a-z\\d-]+):personalize:.*:.*:.+ (got 'arn:aws:s3:::bucket')"_s};
    QTest::addRow("datasets, ARN too long")
        << ListQuery {u"datasets"_s, {{u"datasetGroupArn"_s, QString(groupArn + QString(200, u'x'))}}, {}, {}, {}}
        << QStringList {u"datasetGroupArn"_s} << QStringList {u"at most 256 characters"_s};

    // Enums
    QTest::addRow("images, unknown sort column")
        << ListQuery {u"images"_s, {{u"SortBy"_s, u"NAME"_s}}, {}, {}, {}} << QStringList {u"SortBy"_s}
        << QStringList {u"SortBy must be one of CREATION_TIME, LAST_MODIFIED_TIME, IMAGE_NAME (got 'NAME')"_s};
    QTest::addRow("images, lower-case sort order")
        << ListQuery {u"images"_s, {{u"SortOrder"_s, u"ascending"_s}}, {}, {}, {}} << QStringList {u"SortOrder"_s}
        << QStringList {u"SortOrder must be one of ASCENDING, DESCENDING (got 'ascending')"_s};

    // Dates
    QTest::addRow("images, created range reversed")
        << ListQuery {u"images"_s,
               {{u"CreationTimeAfter"_s, utc("2024-05-02T00:00:00Z")},
                   {u"CreationTimeBefore"_s, utc("2024-05-01T00:00:00Z")}},
               {}, {}, {}}
        << QStringList {u"CreationTimeAfter"_s}
        << QStringList {
               u"Created on or after (2024-05-02T00:00:00Z) is later than Created on or before (2024-05-01T00:00:00Z)"_s};
    QTest::addRow("images, ranges on different columns are independent") << ListQuery {u"images"_s,
        {{u"CreationTimeAfter"_s, utc("2024-05-02T00:00:00Z")},
            {u"LastModifiedTimeBefore"_s, utc("2024-05-01T00:00:00Z")}},
        {}, {}, {}} << QStringList() << QStringList();
    QTest::addRow("images, not a date")
        << ListQuery {u"images"_s, {{u"CreationTimeAfter"_s, u"yesterday"_s}}, {}, {}, {}}
        << QStringList {u"CreationTimeAfter"_s}
        << QStringList {
               u"Created on or after must be a date and time such as 2024-05-01T12:00:00Z (got 'yesterday')"_s};

    // PaginationConfig
    QTest::addRow("page size 0") << ListQuery {u"images"_s, {}, 0, {}, {}} << QStringList {u"PageSize"_s}
                                 << QStringList {u"Page size must be between 1 and 100 (got 0)"_s};
    QTest::addRow("page size 101") << ListQuery {u"sessions"_s, sessionIds(), 101, {}, {}}
                                   << QStringList {u"PageSize"_s}
                                   << QStringList {u"Page size must be between 1 and 100 (got 101)"_s};
    QTest::addRow("max items 0") << ListQuery {u"images"_s, {}, {}, 0, {}} << QStringList {u"MaxItems"_s}
                                 << QStringList {u"Max items must be at least 1 (got 0)"_s};
    QTest::addRow("starting token for another service")
        << ListQuery {u"images"_s, {}, {}, {}, PageToken {u"abc"_s, 1}.encode(u"nextToken"_s)}
        << QStringList {u"StartingToken"_s} << QStringList {u"Bad starting token"_s};

    // Unknown parameters
    QTest::addRow("unknown parameter")
        << ListQuery {u"images"_s, {{u"NameStartsWith"_s, u"a"_s}}, {}, {}, {}} << QStringList {u"NameStartsWith"_s}
        << QStringList {u"ListImages does not take a parameter named NameStartsWith (accepted: NameContains, "
                        u"CreationTimeAfter, CreationTimeBefore, LastModifiedTimeAfter, LastModifiedTimeBefore, "
                        u"SortBy, SortOrder)"_s};
    QTest::addRow("sort on a kind without server sort")
        << ListQuery {u"datasets"_s, {{u"SortBy"_s, u"CREATION_TIME"_s}}, {}, {}, {}} << QStringList {u"SortBy"_s}
        << QStringList {u"ListDatasets does not take a parameter named SortBy"_s};
    QTest::addRow("limit key as a parameter") << ListQuery {u"datasets"_s, {{u"maxResults"_s, 5}}, {}, {},
        {}} << QStringList {u"maxResults"_s} << QStringList {u"use PageSize (--page-size) instead"_s};
    QTest::addRow("input token as a parameter") << ListQuery {u"sessions"_s,
        [] {
            QVariantMap p = sessionIds();
            p.insert(u"nextToken"_s, u"x"_s);
            return p;
        }(),
        {}, {}, {}} << QStringList {u"nextToken"_s}
                                                << QStringList {u"use StartingToken (--starting-token) instead"_s};

    QTest::addRow("several problems at once")
        << ListQuery {u"sessions"_s, sessionIds(u"farm-"_s), 0, 0, {}}
        << QStringList {u"farmId"_s, u"PageSize"_s, u"MaxItems"_s}
        << QStringList {u"Farm ID must look like"_s, u"Page size"_s, u"Max items"_s};
}

void tst_QueryValidator::validates()
{
    QFETCH(ListQuery, query);
    QFETCH(QStringList, parameters);
    QFETCH(QStringList, messages);

    const ResourceKind *kind = findResourceKind(query.kindId);
    QVERIFY(kind);
    const QList<FieldError> errors = QueryValidator::validate(*kind, query);

    QStringList actualParameters;
    for (const FieldError &error : errors)
        actualParameters << error.parameter;
    QCOMPARE(actualParameters, parameters);
    for (qsizetype i = 0; i < errors.size(); ++i)
        QVERIFY2(errors.at(i).message.contains(messages.at(i)), qPrintable(errors.at(i).message));
}

void tst_QueryValidator::matchesJavaPatternsAgainstTheWholeValue_data()
{
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("matches");

    // Personalize nextToken: \p{ASCII}{0,1500}
    QTest::addRow("ascii token") << u"\\p{ASCII}{0,1500}"_s << u"abc ~\u007f"_s << true;
    QTest::addRow("non-ascii token") << u"\\p{ASCII}{0,1500}"_s << u"caf\u00e9"_s << false;
    QTest::addRow("ascii token too long") << u"\\p{ASCII}{0,1500}"_s << QString(1501, u'a') << false;
    QTest::addRow("empty ascii token") << u"\\p{ASCII}{0,1500}"_s << QString() << true;
    QTest::addRow("property inside a class") << u"[\\p{Alpha}\\d_]+"_s << u"ab_9"_s << true;
    QTest::addRow("property inside a class, other char") << u"[\\p{Alpha}\\d_]+"_s << u"ab-9"_s << false;
    QTest::addRow("negated property") << u"\\P{ASCII}+"_s << u"\u00e9\u00e8"_s << true;
    QTest::addRow("Is prefix") << u"\\p{IsDigit}+"_s << u"123"_s << true;
    // Personalize name: ^[a-zA-Z0-9][a-zA-Z0-9\-_]*
    QTest::addRow("leading anchor") << u"^[a-zA-Z0-9][a-zA-Z0-9\\-_]*"_s << u"shop-items_1"_s << true;
    QTest::addRow("leading anchor, bad start") << u"^[a-zA-Z0-9][a-zA-Z0-9\\-_]*"_s << u"-shop"_s << false;
    QTest::addRow("leading anchor, bad tail") << u"^[a-zA-Z0-9][a-zA-Z0-9\\-_]*"_s << u"shop items"_s << false;
    // SageMaker DisplayName: \S(.*\S)?
    QTest::addRow("display name") << u"\\S(.*\\S)?"_s << u"Base Py"_s << true;
    QTest::addRow("display name, leading space") << u"\\S(.*\\S)?"_s << u" Base"_s << false;
    QTest::addRow("alternation is anchored as a whole") << u"a|b"_s << u"ab"_s << false;
    QTest::addRow("dot does not match newline") << u".*"_s << u"a\nb"_s << false;
    QTest::addRow("unusable pattern lets the service decide") << u"[unclosed"_s << u"x"_s << true;
}

void tst_QueryValidator::matchesJavaPatternsAgainstTheWholeValue()
{
    QFETCH(QString, pattern);
    QFETCH(QString, value);
    QFETCH(bool, matches);
    QCOMPARE(QueryValidator::matchesPattern(pattern, value), matches);
}

void tst_QueryValidator::turnsTheFirstErrorIntoAnAwsError()
{
    QCOMPARE(QueryValidator::toError({}).kind, AwsError::Kind::None);

    const AwsError error = QueryValidator::toError({{u"farmId"_s, u"Farm ID is required"_s}, {u"jobId"_s, u"x"_s}});
    QCOMPARE(error.kind, AwsError::Kind::InvalidInput);
    QCOMPARE(error.parameter, u"farmId"_s);
    QCOMPARE(error.message, u"Farm ID is required"_s);
    QVERIFY(error.isError());
}

QTEST_APPLESS_MAIN(tst_QueryValidator)
#include "tst_queryvalidator.moc"
