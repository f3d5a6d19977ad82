#include "expiringfirstlisting.h"
#include "shownlabeltext.h"
#include "ui/exportcontroller.h"
#include "ui/filterpanel.h"
#include "ui/resourceview.h"
#include "uitesthelpers.h"

#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QHeaderView>
#include <QJsonArray>
#include <QMessageBox>
#include <QMimeData>
#include <QRadioButton>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace pagewise;
using uitest::isIdle;

namespace
{

QString readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

/// What a cell must hold for a value the table shows: the typed value, ISO 8601 UTC for times.
void compareCell(const QString &cell, const QModelIndex &index, const QString &where)
{
    const QVariant raw = index.data(ResourceTableModel::RawValueRole);
    if (!raw.isValid()) {
        QVERIFY2(cell.isEmpty(), qPrintable(where));
    } else if (raw.typeId() == QMetaType::QDateTime) {
        QVERIFY2(cell.endsWith(QLatin1Char('Z')), qPrintable(where + cell));
        QCOMPARE(QDateTime::fromString(cell, Qt::ISODateWithMs), raw.toDateTime());
    } else {
        const QString text = raw.toString();
        const bool formula = !text.isEmpty() && QStringLiteral("=+-@\t\r").contains(text.front());
        QCOMPARE(cell, formula ? QLatin1Char('\'') + text : text);
    }
}

/// An ExportController that asks nothing (no dialogs), and what it finished with.
struct QuietExport {
    explicit QuietExport(QWidget *window)
        : controller(window)
        , finished(&controller, &ExportController::finished)
    {
        controller.setInteractive(false);
    }
    bool succeeded() const { return finished.first().first().toBool(); }
    QString message() const { return finished.first().last().toString(); }

    ExportController controller;
    QSignalSpy finished;
};

} // namespace

class tst_ExportController : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void selectedRowsAreWrittenInViewOrder();
    void allMembersOption();
    void formulaCellsAreNeutralisedUnlessRaw_data();
    void formulaCellsAreNeutralisedUnlessRaw();
    void allMatchingFetchesTheRemainingPagesFirst();
    void cancelWhileFetchingWritesNothing();
    void failedPageWhileFetchingWritesNothing();
    void expiredPageTokenWhileFetchingSaysExportAgain();
    void copySelectionPutsCsvOnTheClipboard();
    void dialogSaysWhichRowsAreExported();
    void failureMessageShowsAsWritten();
    void copiedCellsWithTabsAndLineBreaksStayOneCell();

private:
    std::unique_ptr<ResourceView> listedView(const QString &kindId, int pageSize = 0);
    ExportOptions optionsFor(ExportOptions::Scope scope, const QString &fileName) const;

    QTemporaryDir m_settingsDir;
    QTemporaryDir m_outDir;
    uitest::EmulatorFixture m_emulator;
    QWidget m_window;
};

void tst_ExportController::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    QVERIFY(m_outDir.isValid());
    uitest::useTemporarySettings(m_settingsDir);
    QString error;
    QVERIFY2(m_emulator.start(&error), qPrintable(error));
}

void tst_ExportController::init()
{
    m_emulator.reset();
}

std::unique_ptr<ResourceView> tst_ExportController::listedView(const QString &kindId, int pageSize)
{
    auto view = m_emulator.shownView(kindId);
    if (!view)
        return nullptr;
    if (pageSize > 0)
        qobject_cast<QSpinBox *>(view->filterPanel()->editorFor(QStringLiteral("PageSize")))->setValue(pageSize);
    if (!view->apply())
        return nullptr;
    if (!QTest::qWaitFor([&] { return view->model()->rowCount() > 0 && isIdle(view.get()); }))
        return nullptr;
    return view;
}

ExportOptions tst_ExportController::optionsFor(ExportOptions::Scope scope, const QString &fileName) const
{
    ExportOptions options;
    options.scope = scope;
    options.path = m_outDir.filePath(fileName);
    return options;
}

void tst_ExportController::selectedRowsAreWrittenInViewOrder()
{
    auto view = listedView(QStringLiteral("images"));
    QVERIFY(view);
    QTRY_VERIFY(view->model()->rowCount() >= 8);
    // Given a local order, a moved column, a hidden one and a scattered selection
    const ResourceKind &kind = view->kind();
    view->table()->sortByColumn(kind.columnIndex(QStringLiteral("ImageStatus")), Qt::AscendingOrder);
    QHeaderView *header = view->table()->horizontalHeader();
    header->moveSection(header->visualIndex(kind.columnIndex(QStringLiteral("LastModifiedTime"))), 0);
    header->setSectionHidden(kind.columnIndex(QStringLiteral("DisplayName")), true);
    header->setSectionHidden(kind.columnIndex(QStringLiteral("ImageArn")), false);
    QItemSelectionModel *selection = view->table()->selectionModel();
    for (int row : {5, 0, 3})
        selection->select(view->proxy()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);

    QuietExport run(&m_window);
    const ExportOptions options = optionsFor(ExportOptions::Scope::Selected, QStringLiteral("selected.csv"));
    run.controller.run(view.get(), options);
    QTRY_COMPARE(run.finished.size(), 1);
    QVERIFY2(run.succeeded(), qPrintable(run.message()));

    // Then the file holds exactly those rows, in view order, with the visible columns
    const QString text = readFile(options.path);
    QVERIFY(text.endsWith(QStringLiteral("\r\n")));
    const QList<QStringList> rows = uitest::parseCsv(text);
    const QStringList members = view->visibleMembers();
    QCOMPARE(members.first(), QStringLiteral("LastModifiedTime"));
    QVERIFY(!members.contains(QStringLiteral("DisplayName")));
    QVERIFY(members.contains(QStringLiteral("ImageArn")));
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows.first(), members);
    const QList<int> proxyRows = {0, 3, 5};
    for (int i = 0; i < proxyRows.size(); ++i) {
        QCOMPARE(rows[i + 1].size(), members.size());
        for (int c = 0; c < members.size(); ++c) {
            const QModelIndex index = view->proxy()->index(proxyRows[i], kind.columnIndex(members[c]));
            compareCell(rows[i + 1][c], index, members[c]);
        }
    }
}

void tst_ExportController::allMembersOption()
{
    auto view = listedView(QStringLiteral("sessions"), 0);
    QVERIFY(!view); // no farm/queue/job: nothing may be sent
    QVERIFY(m_emulator.requests(QStringLiteral("ListSessions")).isEmpty());

    auto datasets = listedView(QStringLiteral("datasets"));
    QVERIFY(datasets);
    datasets->table()->horizontalHeader()->setSectionHidden(0, true);
    datasets->table()->selectRow(1);
    QuietExport run(&m_window);
    ExportOptions options = optionsFor(ExportOptions::Scope::Selected, QStringLiteral("all-members.csv"));
    options.allMembers = true;
    run.controller.run(datasets.get(), options);
    QTRY_COMPARE(run.finished.size(), 1);
    const QList<QStringList> rows = uitest::parseCsv(readFile(options.path));
    QCOMPARE(rows.size(), 2);
    QStringList every;
    for (const ColumnSpec &column : datasets->kind().columns)
        every << column.member;
    QCOMPARE(rows.first(), every);
}

void tst_ExportController::formulaCellsAreNeutralisedUnlessRaw_data()
{
    QTest::addColumn<bool>("raw");
    QTest::addRow("neutralised") << false;
    QTest::addRow("raw") << true;
}

void tst_ExportController::formulaCellsAreNeutralisedUnlessRaw()
{
    QFETCH(bool, raw);
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    QJsonArray items;
    items.append(QJsonObject {{QStringLiteral("ImageName"), QStringLiteral("safe-name")},
        {QStringLiteral("ImageArn"), QStringLiteral("arn:aws:sagemaker:us-east-1:1:image/safe-name")},
        {QStringLiteral("ImageStatus"), QStringLiteral("CREATED")}, {QStringLiteral("CreationTime"), 1714564800.5},
        {QStringLiteral("LastModifiedTime"), 1714564800},
        {QStringLiteral("DisplayName"), QStringLiteral("=HYPERLINK(\"http://x\",\"y\")")},
        {QStringLiteral("Description"), QStringLiteral("@SUM(1,2), \"quoted\"\nline")}});
    ResourceView view(kind, [items](const ListQuery &) { return std::make_unique<uitest::OnePageFetcher>(items); });
    view.show();
    QVERIFY(view.apply());
    QTRY_COMPARE(view.model()->rowCount(), 1);
    view.table()->selectRow(0);

    QuietExport run(&m_window);
    ExportOptions options = optionsFor(ExportOptions::Scope::Selected, QStringLiteral("formula-%1.csv").arg(raw));
    options.rawCells = raw;
    options.allMembers = true;
    run.controller.run(&view, options);
    QTRY_COMPARE(run.finished.size(), 1);
    const QList<QStringList> rows = uitest::parseCsv(readFile(options.path));
    QCOMPARE(rows.size(), 2);
    const QStringList header = rows[0];
    const QStringList cells = rows[1];
    const QString prefix = raw ? QString() : QStringLiteral("'");
    QCOMPARE(cells[header.indexOf(QStringLiteral("DisplayName"))],
        prefix + QStringLiteral("=HYPERLINK(\"http://x\",\"y\")"));
    QCOMPARE(
        cells[header.indexOf(QStringLiteral("Description"))], prefix + QStringLiteral("@SUM(1,2), \"quoted\"\nline"));
    QCOMPARE(cells[header.indexOf(QStringLiteral("ImageName"))], QStringLiteral("safe-name"));
    QCOMPARE(cells[header.indexOf(QStringLiteral("CreationTime"))], QStringLiteral("2024-05-01T12:00:00.500Z"));
    QCOMPARE(cells[header.indexOf(QStringLiteral("LastModifiedTime"))], QStringLiteral("2024-05-01T12:00:00Z"));
    QCOMPARE(cells[header.indexOf(QStringLiteral("FailureReason"))], QString());
}

void tst_ExportController::allMatchingFetchesTheRemainingPagesFirst()
{
    auto view = listedView(QStringLiteral("images"), 100);
    QVERIFY(view);
    QVERIFY(view->model()->hasMore());
    const int total = m_emulator.backend().catalog().images;
    QVERIFY(total > 2 * 1000);

    QuietExport run(&m_window);
    const ExportOptions options = optionsFor(ExportOptions::Scope::AllMatching, QStringLiteral("all-images.csv"));
    run.controller.run(view.get(), options);
    QVERIFY(run.controller.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(run.finished.size(), 1, 30000);
    QVERIFY2(run.succeeded(), qPrintable(run.message()));
    QVERIFY(!view->model()->hasMore());
    QCOMPARE(view->model()->rowCount(), total);

    const QList<QStringList> rows = uitest::parseCsv(readFile(options.path));
    QCOMPARE(rows.size(), total + 1);
    // Every image once, in the order the service listed them (newest first).
    const int arnColumn = view->kind().columnIndex(QStringLiteral("ImageName"));
    const int nameCell = rows.first().indexOf(QStringLiteral("ImageName"));
    QSet<QString> seen;
    for (int row = 0; row < total; ++row) {
        const QString name = rows[row + 1][nameCell];
        QCOMPARE(name, view->proxy()->index(row, arnColumn).data(ResourceTableModel::RawValueRole).toString());
        seen.insert(name);
    }
    QCOMPARE(seen.size(), total);
}

void tst_ExportController::cancelWhileFetchingWritesNothing()
{
    auto view = listedView(QStringLiteral("datasets"), 10);
    QVERIFY(view);
    EmulatorFaults slow;
    slow.latencyMs = 30;
    m_emulator.emulator()->setFaults(slow);

    QuietExport run(&m_window);
    const ExportOptions options = optionsFor(ExportOptions::Scope::AllMatching, QStringLiteral("cancelled.csv"));
    run.controller.run(view.get(), options);
    const int rowsBefore = view->model()->rowCount();
    QTRY_VERIFY(view->model()->rowCount() > rowsBefore);
    run.controller.cancel();
    QTRY_COMPARE(run.finished.size(), 1);
    QVERIFY(!run.succeeded());
    QVERIFY(run.message().contains(QStringLiteral("cancelled")));
    QVERIFY(!QFile::exists(options.path));
    QVERIFY(view->model()->rowCount() > rowsBefore); // what was fetched stays
    QVERIFY(!view->model()->isLoadingAll());
}

void tst_ExportController::failedPageWhileFetchingWritesNothing()
{
    auto view = listedView(QStringLiteral("datasets"));
    QVERIFY(view);
    const int rowsBefore = view->model()->rowCount();
    EmulatorFaults failing;
    failing.errorRate = 1.0;
    m_emulator.emulator()->setFaults(failing);

    QuietExport run(&m_window);
    const ExportOptions options = optionsFor(ExportOptions::Scope::AllMatching, QStringLiteral("failed.csv"));
    run.controller.run(view.get(), options);
    QTRY_COMPARE(run.finished.size(), 1);
    QVERIFY(!run.succeeded());
    const QString message = run.message();
    QVERIFY2(message.contains(QStringLiteral("Fetching stopped")) && message.contains(QStringLiteral("HTTP 50")),
        qPrintable(message));
    QVERIFY(!QFile::exists(options.path));
    QCOMPARE(view->model()->rowCount(), rowsBefore);
    QVERIFY(!run.controller.isRunning());
}

void tst_ExportController::expiredPageTokenWhileFetchingSaysExportAgain()
{
    // Given a view whose first listing's page tokens expire from the second one on
    ResourceView view(
        *findResourceKind(QStringLiteral("images")), uitest::expiringFirstListing(m_emulator.client(), 2));
    view.resize(1300, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(view.apply());
    QTRY_VERIFY(view.model()->rowCount() > 0 && isIdle(&view));

    // When all matching rows are exported, fetching stops at the refused token
    const ExportOptions options = optionsFor(ExportOptions::Scope::AllMatching, QStringLiteral("expired.csv"));
    {
        QuietExport run(&m_window);
        run.controller.run(&view, options);
        QTRY_COMPARE(run.finished.size(), 1);
        QVERIFY(!run.succeeded());
        const QString message = run.message();
        // Then the message says to export again, not to Retry (which cannot work)
        QVERIFY2(message.contains(QStringLiteral("PageTokenRejected")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("export again (or Reload in the view)")), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("Retry")), qPrintable(message));
        QVERIFY(!QFile::exists(options.path));
        QVERIFY(view.model()->failureNeedsReload());
    }

    // And exporting again starts the listing over and writes every row once
    QuietExport again(&m_window);
    again.controller.run(&view, options);
    QTRY_COMPARE_WITH_TIMEOUT(again.finished.size(), 1, 20000);
    QVERIFY2(again.succeeded(), qPrintable(again.message()));
    QCOMPARE(view.model()->state(), ResourceTableModel::State::Complete);
    const QList<QStringList> rows = uitest::parseCsv(readFile(options.path));
    QCOMPARE(rows.size(), 1 + view.model()->rowCount());
    QCOMPARE(view.model()->rowCount(), m_emulator.backend().catalog().images);
    QSet<QString> names;
    for (qsizetype row = 1; row < rows.size(); ++row)
        names.insert(rows[row].first());
    QCOMPARE(names.size(), rows.size() - 1);
}

void tst_ExportController::copySelectionPutsCsvOnTheClipboard()
{
    auto view = listedView(QStringLiteral("datasets"));
    QVERIFY(view);
    view->table()->selectRow(2);
    view->table()->selectionModel()->select(
        view->proxy()->index(4, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    ExportController controller(&m_window);
    controller.copySelection(view.get());
    const QMimeData *copied = QGuiApplication::clipboard()->mimeData();
    QVERIFY(copied);
    // text/csv: the CSV export's rows
    const QList<QStringList> rows = uitest::parseCsv(QString::fromUtf8(copied->data(QStringLiteral("text/csv"))));
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.first(), view->visibleMembers());
    const int arn = rows.first().indexOf(QStringLiteral("datasetArn"));
    QCOMPARE(rows[1][arn], view->proxy()->index(2, 0).data(ResourceTableModel::KeyRole).toString());
    QCOMPARE(rows[2][arn], view->proxy()->index(4, 0).data(ResourceTableModel::KeyRole).toString());
    // text/plain: the same cells, tab-separated, for spreadsheets
    QStringList lines = copied->text().split(QLatin1Char('\n'));
    QCOMPARE(lines.takeLast(), QString());
    QCOMPARE(lines.size(), rows.size());
    for (int i = 0; i < rows.size(); ++i)
        QCOMPARE(lines[i].split(QLatin1Char('\t')), rows[i]);
}

void tst_ExportController::copiedCellsWithTabsAndLineBreaksStayOneCell()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    QJsonArray items;
    items.append(QJsonObject {{QStringLiteral("ImageName"), QStringLiteral("\"quoted\" name")},
        {QStringLiteral("ImageArn"), QStringLiteral("arn:aws:sagemaker:us-east-1:1:image/q")},
        {QStringLiteral("DisplayName"), QStringLiteral("a\tb")},
        {QStringLiteral("ImageStatus"), QStringLiteral("CREATED")}, {QStringLiteral("CreationTime"), 1714564800},
        {QStringLiteral("Description"), QStringLiteral("=1+1\nsecond")}});
    ResourceView view(kind, [items](const ListQuery &) { return std::make_unique<uitest::OnePageFetcher>(items); });
    view.show();
    QVERIFY(view.apply());
    QTRY_COMPARE(view.model()->rowCount(), 1);
    view.table()->selectRow(0);
    QCOMPARE(view.visibleMembers(),
        (QStringList {QStringLiteral("ImageName"), QStringLiteral("DisplayName"), QStringLiteral("ImageStatus"),
            QStringLiteral("CreationTime"), QStringLiteral("LastModifiedTime"), QStringLiteral("Description")}));

    ExportController controller(&m_window);
    controller.copySelection(&view);
    // A cell with a tab or a line break, or that starts with a quote, is quoted as spreadsheets
    // quote it; a formula gets the export's ' in front; an absent member is an empty cell.
    QCOMPARE(QGuiApplication::clipboard()->text(),
        QStringLiteral("ImageName\tDisplayName\tImageStatus\tCreationTime\tLastModifiedTime\tDescription\n"
                       "\"\"\"quoted\"\" name\"\t\"a\tb\"\tCREATED\t2024-05-01T12:00:00Z\t\t\"'=1+1\nsecond\"\n"));
}

void tst_ExportController::dialogSaysWhichRowsAreExported()
{
    auto view = listedView(QStringLiteral("datasets"));
    QVERIFY(view);
    view->table()->selectRow(0);
    ExportController controller(&m_window);
    std::unique_ptr<ExportDialog> dialog(controller.createDialog(view.get(), ExportOptions::Scope::Selected));
    QVERIFY(dialog->scopeButton(ExportOptions::Scope::Selected)->isChecked());
    QVERIFY(dialog->scopeButton(ExportOptions::Scope::Selected)->text().contains(QStringLiteral("(1)")));
    QVERIFY(dialog->scopeButton(ExportOptions::Scope::Shown)
                ->text()
                .contains(QLocale().toString(view->model()->rowCount())));
    QVERIFY(dialog->scopeButton(ExportOptions::Scope::AllMatching)->text().contains(QStringLiteral("fetch")));
    QVERIFY(dialog->options().path.endsWith(QStringLiteral(".csv")));
    QVERIFY(!dialog->options().rawCells);
    dialog->scopeButton(ExportOptions::Scope::AllMatching)->setChecked(true);
    QCOMPARE(dialog->options().scope, ExportOptions::Scope::AllMatching);
}

void tst_ExportController::failureMessageShowsAsWritten()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    QJsonArray items;
    items.append(QJsonObject {{QStringLiteral("ImageName"), QStringLiteral("one")},
        {QStringLiteral("ImageArn"), QStringLiteral("arn:aws:sagemaker:us-east-1:1:image/one")}});
    ResourceView view(kind, [items](const ListQuery &) { return std::make_unique<uitest::OnePageFetcher>(items); });
    view.show();
    QVERIFY(view.apply());
    QTRY_COMPARE(view.model()->rowCount(), 1);
    view.table()->selectRow(0);

    // Given an export that fails with a message naming a path that looks like HTML
    ExportController controller(&m_window);
    QSignalSpy finished(&controller, &ExportController::finished);
    QString shown;
    bool seen = false;
    QTimer watch;
    watch.setInterval(10);
    connect(&watch, &QTimer::timeout, this, [&] {
        auto *box = m_window.findChild<QMessageBox *>();
        if (seen || !box || !box->isVisible())
            return;
        seen = true;
        shown = uitest::shownText(box->text(), box->textFormat());
        box->done(QMessageBox::Ok);
    });
    watch.start();
    controller.run(&view, optionsFor(ExportOptions::Scope::Selected, QStringLiteral("<b>no-such-dir</b>/x.csv")));
    // Then the warning shows the message as written
    QTRY_VERIFY(seen);
    QTRY_COMPARE(finished.size(), 1);
    const QString message = finished.first().last().toString();
    QVERIFY2(message.contains(QStringLiteral("<b>no-such-dir</b>")), qPrintable(message));
    QCOMPARE(shown, message);
}

QTEST_MAIN(tst_ExportController)
#include "tst_exportcontroller.moc"
