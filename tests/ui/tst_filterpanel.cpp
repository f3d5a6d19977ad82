#include "kinds/resourcekind.h"
#include "ui/datetimefilteredit.h"
#include "ui/filterpanel.h"
#include "uitesthelpers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>

using namespace pagewise;

class tst_FilterPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyParameterHasAnEditor_data();
    void everyParameterHasAnEditor();
    void queryHoldsOnlyWhatWasEntered();
    void uncheckedDateIsNotSent();
    void checkedDateIsSentInUtc();
    void advancedMapsPaginationConfig();
    void enterRequestsApply();
    void fieldErrorsAppearNextToTheirField();
    void localFiltersFollowTheDescriptor();
    void localFilterChangesAreSignalled();
    void stateSurvivesSaveAndRestore();
    void resetClearsEverything();
    void pageSizeChoiceIsRemembered_data();
    void pageSizeChoiceIsRemembered();

private:
    QTemporaryDir m_settingsDir;
};

void tst_FilterPanel::initTestCase()
{
    QVERIFY(m_settingsDir.isValid());
    uitest::useTemporarySettings(m_settingsDir);
}

void tst_FilterPanel::everyParameterHasAnEditor_data()
{
    QTest::addColumn<QString>("kindId");
    for (const ResourceKind &kind : resourceKinds())
        QTest::addRow("%s", qPrintable(kind.id)) << kind.id;
}

void tst_FilterPanel::everyParameterHasAnEditor()
{
    QFETCH(QString, kindId);
    const ResourceKind &kind = *findResourceKind(kindId);
    FilterPanel panel(kind);
    for (const FilterSpec &filter : kind.filters) {
        QWidget *editor = panel.editorFor(filter.parameter);
        QVERIFY2(editor, qPrintable(filter.parameter));
        if (filter.type == ValueType::Timestamp)
            QVERIFY(qobject_cast<DateTimeFilterEdit *>(editor));
        if (filter.required) {
            // The label says the field is required.
            bool marked = false;
            for (QLabel *label : panel.findChildren<QLabel *>()) {
                if (label->buddy() == editor && label->text().endsWith(QLatin1String(" *")))
                    marked = true;
            }
            QVERIFY2(marked, qPrintable(filter.parameter));
        }
    }
    QVERIFY(panel.editorFor(QStringLiteral("PageSize")));
    QVERIFY(panel.editorFor(QStringLiteral("MaxItems")));
    QVERIFY(panel.editorFor(QStringLiteral("StartingToken")));
}

void tst_FilterPanel::queryHoldsOnlyWhatWasEntered()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("sessions"));
    FilterPanel panel(kind);
    QCOMPARE(panel.query().parameters, QVariantMap());
    QCOMPARE(panel.query().kindId, QStringLiteral("sessions"));

    auto *farm = qobject_cast<QComboBox *>(panel.editorFor(QStringLiteral("farmId")));
    QVERIFY(farm && farm->isEditable());
    QTest::keyClicks(farm->lineEdit(), QStringLiteral("  farm-0123456789abcdef0123456789abcdef "));
    const ListQuery query = panel.query();
    QCOMPARE(query.parameters.size(), 1);
    QCOMPARE(query.parameters.value(QStringLiteral("farmId")).toString(),
        QStringLiteral("farm-0123456789abcdef0123456789abcdef"));
    // Full pages unless the user chooses otherwise
    QCOMPARE(query.pageSize, std::optional<int>(kind.pagination.maxPageSize));
    QVERIFY(!query.maxItems);
    QVERIFY(query.startingToken.isEmpty());
}

void tst_FilterPanel::uncheckedDateIsNotSent()
{
    FilterPanel panel(*findResourceKind(QStringLiteral("images")));
    auto *date = qobject_cast<DateTimeFilterEdit *>(panel.editorFor(QStringLiteral("CreationTimeAfter")));
    QVERIFY(date);
    date->editor()->setDateTime(QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC));
    QVERIFY(!panel.query().parameters.contains(QStringLiteral("CreationTimeAfter")));
    QVERIFY(!date->editor()->isEnabled());
}

void tst_FilterPanel::checkedDateIsSentInUtc()
{
    FilterPanel panel(*findResourceKind(QStringLiteral("images")));
    auto *date = qobject_cast<DateTimeFilterEdit *>(panel.editorFor(QStringLiteral("CreationTimeBefore")));
    QVERIFY(date);
    date->checkBox()->setChecked(true);
    QVERIFY(date->editor()->isEnabled());
    date->editor()->setDateTime(QDateTime(QDate(2024, 5, 1), QTime(12, 30, 15), Qt::UTC));
    const QVariant value = panel.query().parameters.value(QStringLiteral("CreationTimeBefore"));
    QCOMPARE(value.typeId(), int(QMetaType::QDateTime));
    QCOMPARE(value.toDateTime().timeSpec(), Qt::UTC);
    QCOMPARE(value.toDateTime(), QDateTime(QDate(2024, 5, 1), QTime(12, 30, 15), Qt::UTC));
}

void tst_FilterPanel::advancedMapsPaginationConfig()
{
    FilterPanel panel(*findResourceKind(QStringLiteral("datasets")));
    qobject_cast<QSpinBox *>(panel.editorFor(QStringLiteral("PageSize")))->setValue(25);
    qobject_cast<QSpinBox *>(panel.editorFor(QStringLiteral("MaxItems")))->setValue(300);
    qobject_cast<QLineEdit *>(panel.editorFor(QStringLiteral("StartingToken")))->setText(QStringLiteral(" abc "));
    const ListQuery query = panel.query();
    QCOMPARE(query.pageSize, std::optional<int>(25));
    QCOMPARE(query.maxItems, std::optional<qint64>(300));
    QCOMPARE(query.startingToken, QStringLiteral("abc"));
    QVERIFY(query.parameters.isEmpty());

    panel.setResumeToken(QStringLiteral("eyJuZXh0VG9rZW4iOiAiYWJjIn0="));
    QCOMPARE(panel.resumeToken(), QStringLiteral("eyJuZXh0VG9rZW4iOiAiYWJjIn0="));
}

void tst_FilterPanel::enterRequestsApply()
{
    FilterPanel panel(*findResourceKind(QStringLiteral("images")));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QSignalSpy apply(&panel, &FilterPanel::applyRequested);
    QVERIFY(apply.isValid());
    auto *name = qobject_cast<QLineEdit *>(panel.editorFor(QStringLiteral("NameContains")));
    name->setFocus();
    QTest::keyClicks(name, QStringLiteral("py"));
    QTest::keyClick(name, Qt::Key_Return);
    QCOMPARE(apply.size(), 1);
    QTest::mouseClick(panel.applyButton(), Qt::LeftButton);
    QCOMPARE(apply.size(), 2);
}

void tst_FilterPanel::fieldErrorsAppearNextToTheirField()
{
    FilterPanel panel(*findResourceKind(QStringLiteral("sessions")));
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    const QString message = QStringLiteral("farmId must match farm-[0-9a-f]{32}");
    QVERIFY(panel.showFieldErrors({FieldError {QStringLiteral("farmId"), message}}));
    QCOMPARE(panel.fieldError(QStringLiteral("farmId")), message);
    QVERIFY(panel.fieldError(QStringLiteral("queueId")).isEmpty());

    auto *label = panel.findChild<QLabel *>(QStringLiteral("error_farmId"));
    QVERIFY(label && label->isVisible());
    QWidget *editor = panel.editorFor(QStringLiteral("farmId"));
    // Right under its field, before the next one.
    const int below = label->mapTo(&panel, QPoint()).y() - (editor->mapTo(&panel, QPoint()).y() + editor->height());
    QVERIFY2(below >= 0 && below < 20, qPrintable(QString::number(below)));
    QVERIFY(
        label->mapTo(&panel, QPoint()).y() < panel.editorFor(QStringLiteral("queueId"))->mapTo(&panel, QPoint()).y());
    QVERIFY(editor->hasFocus() || editor->isAncestorOf(QApplication::focusWidget()));

    panel.clearFieldErrors();
    QVERIFY(panel.fieldError(QStringLiteral("farmId")).isEmpty());
    QVERIFY(!label->isVisible());
}

void tst_FilterPanel::localFiltersFollowTheDescriptor()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("sessions"));
    FilterPanel panel(kind);
    const QList<LocalFilterInput> inputs = panel.localFilters();
    QCOMPARE(inputs.size(), kind.localFilters.size());
    for (qsizetype i = 0; i < inputs.size(); ++i) {
        QCOMPARE(inputs[i].column, kind.localFilters[i].column);
        QCOMPARE(inputs[i].type, kind.localFilters[i].type);
        QVERIFY(!inputs[i].isActive());
    }
    QCOMPARE(inputs.first().alsoColumns, kind.localFilters.first().alsoColumns);

    // Images: what ListImages cannot filter by (status, display name, description) is local.
    FilterPanel images(*findResourceKind(QStringLiteral("images")));
    QStringList imageColumns;
    for (const LocalFilterInput &input : images.localFilters())
        imageColumns << input.column;
    QCOMPARE(imageColumns, (QStringList {QStringLiteral("DisplayName"), QStringLiteral("ImageStatus")}));
    QCOMPARE(images.localFilters().first().alsoColumns, QStringList {QStringLiteral("Description")});
}

void tst_FilterPanel::localFilterChangesAreSignalled()
{
    FilterPanel panel(*findResourceKind(QStringLiteral("datasets")));
    QSignalSpy changed(&panel, &FilterPanel::localFiltersChanged);
    auto *status = panel.findChild<QComboBox *>(QStringLiteral("local_status"));
    QVERIFY(status);
    status->setCurrentIndex(status->findData(QStringLiteral("CREATE FAILED")));
    QVERIFY(changed.size() >= 1);
    auto *name = panel.findChild<QLineEdit *>(QStringLiteral("local_name"));
    QTest::keyClicks(name, QStringLiteral("ret"));
    auto *from = panel.findChild<DateTimeFilterEdit *>(QStringLiteral("local_creationDateTime_from"));
    from->setValue(QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC));

    const QList<LocalFilterInput> inputs = panel.localFilters();
    auto find = [&](const QString &column) {
        for (const LocalFilterInput &input : inputs) {
            if (input.column == column)
                return input;
        }
        return LocalFilterInput {};
    };
    QCOMPARE(find(QStringLiteral("status")).text, QStringLiteral("CREATE FAILED"));
    QCOMPARE(find(QStringLiteral("name")).text, QStringLiteral("ret"));
    QCOMPARE(find(QStringLiteral("creationDateTime")).from, QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC));
    QVERIFY(!find(QStringLiteral("creationDateTime")).to);
    QVERIFY(!find(QStringLiteral("datasetType")).isActive());
}

void tst_FilterPanel::stateSurvivesSaveAndRestore()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    ListQuery query;
    query.kindId = kind.id;
    query.parameters.insert(QStringLiteral("NameContains"), QStringLiteral("spark"));
    query.parameters.insert(
        QStringLiteral("LastModifiedTimeAfter"), QDateTime(QDate(2023, 2, 3), QTime(4, 5, 6), Qt::UTC));
    query.pageSize = 50;
    {
        FilterPanel panel(kind);
        panel.setQuery(query);
        QSettings settings;
        settings.beginGroup(QStringLiteral("panel"));
        panel.saveState(settings);
    }
    FilterPanel restored(kind);
    QSettings settings;
    settings.beginGroup(QStringLiteral("panel"));
    restored.restoreState(settings);
    QCOMPARE(restored.query(), query);
}

void tst_FilterPanel::resetClearsEverything()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("datasets"));
    FilterPanel panel(kind);
    ListQuery query;
    query.kindId = kind.id;
    query.parameters.insert(QStringLiteral("datasetGroupArn"),
        QStringLiteral("arn:aws:personalize:us-east-1:123456789012:dataset-group/x"));
    query.maxItems = 10;
    panel.setQuery(query);
    QTest::keyClicks(panel.findChild<QLineEdit *>(QStringLiteral("local_name")), QStringLiteral("abc"));
    QSignalSpy reset(&panel, &FilterPanel::resetRequested);
    QTest::mouseClick(panel.resetButton(), Qt::LeftButton);
    QCOMPARE(reset.size(), 1);
    QVERIFY(panel.query().parameters.isEmpty());
    QVERIFY(!panel.query().maxItems);
    QCOMPARE(panel.query().pageSize, std::optional<int>(kind.pagination.maxPageSize));
    for (const LocalFilterInput &input : panel.localFilters())
        QVERIFY(!input.isActive());
}

void tst_FilterPanel::pageSizeChoiceIsRemembered_data()
{
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    QTest::addColumn<int>("chosen"); // -1: left as the window set it
    QTest::addColumn<int>("sent"); // 0: no limit key, the service's default
    QTest::addRow("untouched: the largest page") << -1 << kind.pagination.maxPageSize;
    QTest::addRow("a size of the user's") << 25 << 25;
    QTest::addRow("the service's default") << 0 << 0;
}

void tst_FilterPanel::pageSizeChoiceIsRemembered()
{
    QFETCH(int, chosen);
    QFETCH(int, sent);
    const std::optional<int> pageSize = sent > 0 ? std::optional<int>(sent) : std::nullopt;
    const ResourceKind &kind = *findResourceKind(QStringLiteral("images"));
    QSettings().remove(QStringLiteral("panel"));
    {
        FilterPanel panel(kind);
        if (chosen >= 0)
            qobject_cast<QSpinBox *>(panel.editorFor(QStringLiteral("PageSize")))->setValue(chosen);
        QCOMPARE(panel.query().pageSize, pageSize);
        QSettings settings;
        settings.beginGroup(QStringLiteral("panel"));
        panel.saveState(settings);
    }
    FilterPanel restored(kind);
    QSettings settings;
    settings.beginGroup(QStringLiteral("panel"));
    restored.restoreState(settings);
    QCOMPARE(restored.query().pageSize, pageSize);
}

QTEST_MAIN(tst_FilterPanel)
#include "tst_filterpanel.moc"
