#include "exportdialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace pagewise
{

namespace
{

QString count(int n)
{
    return QLocale().toString(n);
}

} // namespace

ExportDialog::ExportDialog(
    const QString &kindTitle, const Counts &counts, const ExportOptions &initial, QWidget *parent)
    : QDialog(parent)
    , m_counts(counts)
{
    setWindowTitle(tr("Export %1 to CSV").arg(kindTitle));
    setObjectName(QStringLiteral("exportDialog"));

    auto *rows = new QGroupBox(tr("Rows"), this);
    m_selected = new QRadioButton(tr("&Selected rows (%1), in view order").arg(count(counts.selected)), rows);
    m_shown = new QRadioButton(counts.shown == counts.loaded
            ? tr("All &loaded rows (%1), in view order").arg(count(counts.shown))
            : tr("All &loaded rows that match the local filter (%1 of %2), in view order")
                  .arg(count(counts.shown), count(counts.loaded)),
        rows);
    QString allText;
    if (!counts.more)
        allText = tr("All &matching rows (the listing is complete: %1)").arg(count(counts.shown));
    else if (counts.shown != counts.loaded)
        allText = tr("All &matching rows: fetch the remaining pages first, then export those the local filter shows");
    else
        allText = tr("All &matching rows: fetch the remaining pages first, then export");
    m_all = new QRadioButton(allText, rows);
    m_selected->setEnabled(counts.selected > 0);
    auto *rowsLayout = new QVBoxLayout(rows);
    rowsLayout->addWidget(m_selected);
    rowsLayout->addWidget(m_shown);
    rowsLayout->addWidget(m_all);

    auto *columns = new QGroupBox(tr("Columns"), this);
    m_visibleColumns = new QRadioButton(tr("&Visible columns (%1), in view order").arg(counts.visibleColumns), columns);
    m_allColumns = new QRadioButton(tr("All &response members (%1), in model order").arg(counts.allColumns), columns);
    auto *columnsLayout = new QVBoxLayout(columns);
    columnsLayout->addWidget(m_visibleColumns);
    columnsLayout->addWidget(m_allColumns);
    auto *format = new QLabel(tr("RFC 4180, UTF-8; the header row holds the response member names; timestamps in ISO "
                                 "8601 UTC."),
        columns);
    format->setWordWrap(true);
    columnsLayout->addWidget(format);

    m_raw = new QCheckBox(tr("Write cell values &raw (no formula-injection protection)"), this);
    m_rawWarning = new QLabel(tr("Cells starting with = + - @ may then run as formulas when the file is opened in a "
                                 "spreadsheet. By default such cells get a leading ' (apostrophe)."),
        this);
    m_rawWarning->setWordWrap(true);
    m_rawWarning->setStyleSheet(QStringLiteral("QLabel { color: #8a5300; }"));

    m_path = new QLineEdit(this);
    m_path->setObjectName(QStringLiteral("exportPath"));
    auto *pathLabel = new QLabel(tr("&File:"), this);
    pathLabel->setBuddy(m_path);
    auto *browse = new QPushButton(tr("&Browse…"), this);
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(pathLabel);
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("exportSummary"));
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Export"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(rows);
    layout->addWidget(columns);
    layout->addWidget(m_raw);
    layout->addWidget(m_rawWarning);
    layout->addLayout(pathRow);
    layout->addWidget(m_summary);
    layout->addWidget(m_buttons);
    setMinimumWidth(560);

    switch (initial.scope) {
    case ExportOptions::Scope::Selected:
        (counts.selected > 0 ? m_selected : m_shown)->setChecked(true);
        break;
    case ExportOptions::Scope::Shown:
        m_shown->setChecked(true);
        break;
    case ExportOptions::Scope::AllMatching:
        m_all->setChecked(true);
        break;
    }
    (initial.allMembers ? m_allColumns : m_visibleColumns)->setChecked(true);
    m_raw->setChecked(initial.rawCells);
    m_path->setText(initial.path);

    for (QRadioButton *button : {m_selected, m_shown, m_all, m_visibleColumns, m_allColumns})
        connect(button, &QRadioButton::toggled, this, &ExportDialog::updateState);
    connect(m_raw, &QCheckBox::toggled, this, &ExportDialog::updateState);
    connect(m_path, &QLineEdit::textChanged, this, &ExportDialog::updateState);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updateState();
}

ExportOptions ExportDialog::options() const
{
    ExportOptions options;
    if (m_selected->isChecked())
        options.scope = ExportOptions::Scope::Selected;
    else if (m_shown->isChecked())
        options.scope = ExportOptions::Scope::Shown;
    else
        options.scope = ExportOptions::Scope::AllMatching;
    options.allMembers = m_allColumns->isChecked();
    options.rawCells = m_raw->isChecked();
    options.path = m_path->text().trimmed();
    return options;
}

void ExportDialog::setPath(const QString &path)
{
    m_path->setText(path);
}

QRadioButton *ExportDialog::scopeButton(ExportOptions::Scope scope) const
{
    switch (scope) {
    case ExportOptions::Scope::Selected:
        return m_selected;
    case ExportOptions::Scope::Shown:
        return m_shown;
    case ExportOptions::Scope::AllMatching:
        return m_all;
    }
    return nullptr;
}

void ExportDialog::browse()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export to CSV"), m_path->text(), tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        m_path->setText(path);
}

void ExportDialog::updateState()
{
    m_rawWarning->setVisible(m_raw->isChecked());
    const ExportOptions o = options();
    const int columns = o.allMembers ? m_counts.allColumns : m_counts.visibleColumns;
    QString rows;
    switch (o.scope) {
    case ExportOptions::Scope::Selected:
        rows = m_counts.selected == 1 ? tr("1 selected row") : tr("%1 selected rows").arg(count(m_counts.selected));
        break;
    case ExportOptions::Scope::Shown:
        rows = m_counts.shown == 1 ? tr("1 loaded row") : tr("%1 loaded rows").arg(count(m_counts.shown));
        break;
    case ExportOptions::Scope::AllMatching:
        rows = m_counts.more ? tr("every matching row (more pages will be fetched)")
                             : tr("all %1 rows").arg(count(m_counts.shown));
        break;
    }
    m_summary->setText(tr("Writes %1 × %2 columns to %3")
                           .arg(rows)
                           .arg(columns)
                           .arg(o.path.isEmpty() ? tr("(choose a file)") : QFileInfo(o.path).fileName()));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!o.path.isEmpty());
}

} // namespace pagewise
