// ExportRun: one page at a time from fetcher to output, flushed before the next request; nothing
// written before the first page; the resume token on the message stream; errors with code and
// request id; exit statuses.
#include "cli/clijsonwriter.h"
#include "cli/csvlistingwriter.h"
#include "cli/exportprogress.h"
#include "cli/exportrun.h"
#include "export/exportrows.h"
#include "kinds/resourcekind.h"
#include "paging/pagefetcher.h"
#include "paging/pagetokenrejection.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include <cstdio>
#include <memory>

using namespace pagewise;

namespace
{

/// A fetcher the test drives by hand: it records requests, the test delivers pages or failures.
class ScriptedFetcher final : public PageFetcher
{
public:
    void fetchNext() override { ++requests; }
    void cancel() override { ++cancels; }
    bool isFetching() const override { return false; }
    bool hasMore() const override { return more; }
    qint64 itemCount() const override { return items; }
    QString resumeToken() const override { return token; }

    void deliver(const Page &page, bool morePages, const QString &resume = {})
    {
        items += page.items.size();
        more = morePages;
        token = resume;
        emit pageReady(page);
    }

    int requests = 0;
    int cancels = 0;
    bool more = true;
    qint64 items = 0;
    QString token;
};

Page imagesPage(int first, int count)
{
    Page page;
    for (int i = first; i < first + count; ++i) {
        page.items.append(QJsonObject {{QStringLiteral("ImageName"), QStringLiteral("img-%1").arg(i)},
            {QStringLiteral("ImageStatus"), QStringLiteral("CREATED")}});
    }
    return page;
}

QByteArray contents(std::FILE *file)
{
    std::fflush(file);
    QByteArray data;
    std::rewind(file);
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        data.append(buffer, qsizetype(n));
    std::fseek(file, 0, SEEK_END);
    return data;
}

struct Files {
    std::FILE *output = std::tmpfile();
    std::FILE *messages = std::tmpfile();
    ~Files()
    {
        std::fclose(output);
        std::fclose(messages);
    }
};

QList<ColumnSpec> imageColumns()
{
    return *exportColumns(*findResourceKind(QStringLiteral("images")),
        {QStringLiteral("ImageName"), QStringLiteral("ImageStatus")}, nullptr);
}

} // namespace

class tst_ExportRun : public QObject
{
    Q_OBJECT
private slots:
    void writesEachPageAsItArrives()
    {
        Files files;
        ScriptedFetcher fetcher;
        CsvListingWriter writer(imageColumns(), false);
        ExportProgress progress(files.messages, false);
        ExportRun run(fetcher, writer, files.output, files.messages, progress);
        QSignalSpy finished(&run, &ExportRun::finished);
        QVERIFY(finished.isValid());

        run.start();
        QCOMPARE(fetcher.requests, 1);
        QCOMPARE(contents(files.output), QByteArray()); // no header before a page has arrived

        fetcher.deliver(imagesPage(1, 2), true);
        // The page is in the file before the next page is delivered; its request is already out.
        const QByteArray afterFirst = contents(files.output);
        QVERIFY2(afterFirst.startsWith("ImageName,ImageStatus\r\n"), afterFirst.constData());
        QCOMPARE(afterFirst.count('\n'), 3);
        QVERIFY(afterFirst.contains("img-2"));
        QCOMPARE(fetcher.requests, 2);

        fetcher.deliver(imagesPage(3, 1), false);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished.first().first().toInt(), int(ExportRun::Success));
        QCOMPARE(run.exitCode(), 0);
        QCOMPARE(contents(files.output).count('\n'), 4);
        QCOMPARE(fetcher.requests, 2);
        // A complete listing prints no resume token and no noise.
        QCOMPARE(contents(files.messages), QByteArray());
    }

    void printsTheResumeTokenWhenMaxItemsStops()
    {
        Files files;
        ScriptedFetcher fetcher;
        CsvListingWriter writer(imageColumns(), false);
        ExportProgress progress(files.messages, false);
        ExportRun run(fetcher, writer, files.output, files.messages, progress);
        run.start();
        fetcher.deliver(imagesPage(1, 3), false,
            QStringLiteral("eyJOZXh0VG9rZW4iOiAiVDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ=="));
        QCOMPARE(run.exitCode(), 0);
        QCOMPARE(contents(files.messages),
            QByteArray("NextToken: eyJOZXh0VG9rZW4iOiAiVDIiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==\n"));
    }

    void failureKeepsCompleteLinesAndReportsCodeAndRequestId()
    {
        Files files;
        ScriptedFetcher fetcher;
        CsvListingWriter writer(imageColumns(), false);
        ExportProgress progress(files.messages, false);
        ExportRun run(fetcher, writer, files.output, files.messages, progress);
        run.start();
        fetcher.deliver(imagesPage(1, 2), true, QStringLiteral("RESUME"));

        AwsError error;
        error.kind = AwsError::Kind::Service;
        error.code = QStringLiteral("ThrottlingException");
        error.message = QStringLiteral("Rate exceeded");
        error.httpStatus = 400;
        error.requestId = QStringLiteral("b1a7c0de-0000-4000-8000-000000000001");
        error.attempts = 3;
        error.page = 2;
        emit fetcher.pageFailed(error);

        QCOMPARE(run.exitCode(), int(ExportRun::Failure));
        const QByteArray output = contents(files.output);
        QVERIFY(output.endsWith('\n'));
        QCOMPARE(output.count('\n'), 3);
        const QByteArray messages = contents(files.messages);
        QVERIFY2(messages.contains("ThrottlingException"), messages.constData());
        QVERIFY2(messages.contains("b1a7c0de-0000-4000-8000-000000000001"), messages.constData());
        QVERIFY2(messages.contains("--starting-token RESUME"), messages.constData());
        QCOMPARE(fetcher.requests, 2);
    }

    void rejectedPageTokenIsNotSuggestedAgain_data()
    {
        QTest::addColumn<int>("pagesBefore");
        QTest::addRow("mid-listing") << 2;
        QTest::addRow("the user's --starting-token") << 0;
    }

    void rejectedPageTokenIsNotSuggestedAgain()
    {
        QFETCH(int, pagesBefore);
        Files files;
        ScriptedFetcher fetcher;
        CsvListingWriter writer(imageColumns(), false);
        ExportProgress progress(files.messages, false);
        ExportRun run(fetcher, writer, files.output, files.messages, progress);
        run.start();
        for (int page = 0; page < pagesBefore; ++page)
            fetcher.deliver(imagesPage(1 + 2 * page, 2), true, QStringLiteral("DEADTOKEN"));
        // The paginator keeps the token it was refused; the run must not hand it out.
        fetcher.token = QStringLiteral("DEADTOKEN");

        // Given the service's answer to an expired token (what Deadline documents)
        AwsError refusal;
        refusal.kind = AwsError::Kind::Service;
        refusal.code = QStringLiteral("ValidationException");
        refusal.message = QStringLiteral("Invalid pagination token");
        refusal.httpStatus = 400;
        refusal.requestId = QStringLiteral("b1a7c0de-0000-4000-8000-000000000002");
        refusal.page = pagesBefore + 1;
        emit fetcher.pageFailed(pageTokenRejected(refusal));

        QCOMPARE(run.exitCode(), int(ExportRun::Failure));
        QCOMPARE(contents(files.output).count('\n'), pagesBefore == 0 ? 0 : 1 + 2 * pagesBefore);
        const QByteArray messages = contents(files.messages);
        QVERIFY2(messages.contains("b1a7c0de-0000-4000-8000-000000000002"), messages.constData());
        QVERIFY2(!messages.contains("DEADTOKEN"), messages.constData());
        QVERIFY2(messages.contains("rejected the page token (expired or invalid)"), messages.constData());
        QVERIFY2(messages.contains("run the command again without --starting-token"), messages.constData());
        QCOMPARE(messages.contains("items before the failure were written"), pagesBefore > 0);
        if (pagesBefore > 0)
            QVERIFY2(
                messages.contains(QByteArray(QByteArray::number(2 * pagesBefore) + " items")), messages.constData());
    }

    void failureBeforeTheFirstPageWritesNothing_data()
    {
        QTest::addColumn<bool>("json");
        QTest::addRow("csv") << false;
        QTest::addRow("json") << true;
    }

    void failureBeforeTheFirstPageWritesNothing()
    {
        QFETCH(bool, json);
        Files files;
        ScriptedFetcher fetcher;
        const std::unique_ptr<ListingWriter> writer = json
            ? std::unique_ptr<ListingWriter>(new CliJsonWriter(*findResourceKind(QStringLiteral("images"))))
            : std::unique_ptr<ListingWriter>(new CsvListingWriter(imageColumns(), false));
        ExportProgress progress(files.messages, false);
        ExportRun run(fetcher, *writer, files.output, files.messages, progress);
        QSignalSpy outputStarting(&run, &ExportRun::outputStarting);
        run.start();

        AwsError error;
        error.kind = AwsError::Kind::Credentials;
        error.code = QStringLiteral("NoCredentials");
        error.message = QStringLiteral("No AWS credentials found");
        error.page = 1;
        emit fetcher.pageFailed(error);

        QCOMPARE(run.exitCode(), int(ExportRun::Failure));
        // Neither a lone CSV header nor the opening of a JSON document: nothing a script could
        // take for a listing.
        QCOMPARE(contents(files.output), QByteArray());
        QCOMPARE(outputStarting.size(), 0);
        const QByteArray messages = contents(files.messages);
        QVERIFY2(messages.contains("NoCredentials"), messages.constData());
        QVERIFY2(!messages.contains("--starting-token"), messages.constData());
    }

    void emptyListingWritesTheHeader()
    {
        Files files;
        ScriptedFetcher fetcher;
        CsvListingWriter writer(imageColumns(), false);
        ExportProgress progress(files.messages, false);
        ExportRun run(fetcher, writer, files.output, files.messages, progress);
        run.start();
        fetcher.deliver(Page {}, false);
        QCOMPARE(run.exitCode(), int(ExportRun::Success));
        QCOMPARE(contents(files.output), QByteArray("ImageName,ImageStatus\r\n"));
    }

    void announcesTheOutputOnceBeforeItsFirstBytes()
    {
        Files files;
        ScriptedFetcher fetcher;
        CsvListingWriter writer(imageColumns(), false);
        ExportProgress progress(files.messages, false);
        ExportRun run(fetcher, writer, files.output, files.messages, progress);
        QByteArray writtenWhenAnnounced = "(not announced)";
        connect(&run, &ExportRun::outputStarting, &run, [&] { writtenWhenAnnounced = contents(files.output); });
        QSignalSpy outputStarting(&run, &ExportRun::outputStarting);
        run.start();
        QCOMPARE(outputStarting.size(), 0);
        fetcher.deliver(imagesPage(1, 2), true);
        QCOMPARE(outputStarting.size(), 1);
        QCOMPARE(writtenWhenAnnounced, QByteArray());
        fetcher.deliver(imagesPage(3, 2), false);
        QCOMPARE(outputStarting.size(), 1);
        QCOMPARE(contents(files.output).count('\n'), 5);
    }

    void unwritableOutputIsAFailure()
    {
        std::FILE *full = std::fopen("/dev/full", "wb");
        if (!full)
            QSKIP("/dev/full is not available on this system");
        Files files;
        ScriptedFetcher fetcher;
        CsvListingWriter writer(imageColumns(), false);
        ExportProgress progress(files.messages, false);
        ExportRun run(fetcher, writer, full, files.messages, progress);
        run.start();
        QCOMPARE(fetcher.requests, 1);
        fetcher.deliver(imagesPage(1, 2), true);
        QCOMPARE(run.exitCode(), int(ExportRun::Failure));
        // The request read ahead for page 2 is cancelled: nothing more is fetched that cannot be written.
        QCOMPARE(fetcher.requests, 2);
        QCOMPARE(fetcher.cancels, 1);
        QVERIFY(contents(files.messages).contains("cannot write"));
        std::fclose(full);
    }
};

QTEST_GUILESS_MAIN(tst_ExportRun)
#include "tst_exportrun.moc"
