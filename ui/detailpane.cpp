#include "detailpane.h"

#include "models/resourcetablemodel.h"
#include "plaintooltip.h"

#include <QAbstractItemModel>
#include <QClipboard>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace pagewise
{

namespace
{

bool isIdentifier(ValueType type)
{
    return type == ValueType::Id || type == ValueType::Arn;
}

constexpr int fieldsPerLine = 2;

} // namespace

DetailPane::DetailPane(const ResourceKind &kind, QWidget *parent)
    : QWidget(parent)
    , m_kind(kind)
    , m_title(new QLabel(this))
    , m_extras(new QPlainTextEdit(this))
    , m_extrasLabel(new QLabel(tr("Other members"), this))
    , m_copyJson(new QPushButton(tr("Copy as JSON"), this))
{
    setObjectName(QStringLiteral("detailPane_") + kind.id);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_copyJson->setToolTip(tr("Copy the whole resource, every member as the service sent it"));
    connect(m_copyJson, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(
            QString::fromUtf8(QJsonDocument(m_resource).toJson(QJsonDocument::Indented)));
        emit copied(tr("Resource copied as JSON"));
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_copyJson);

    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(3);
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (int i = 0; i < m_kind.columns.size(); ++i) {
        const ColumnSpec &column = m_kind.columns[i];
        const int row = i / fieldsPerLine;
        const int col = (i % fieldsPerLine) * 3;
        auto *label = new QLabel(column.header + QLatin1Char(':'), this);
        label->setToolTip(column.member);
        auto *value = new QLineEdit(this);
        value->setReadOnly(true);
        value->setObjectName(QStringLiteral("detail_") + column.member);
        value->setAccessibleName(column.header);
        if (isIdentifier(column.type))
            value->setFont(fixed);
        label->setBuddy(value);
        grid->addWidget(label, row, col, Qt::AlignRight);
        grid->addWidget(value, row, col + 1);
        m_values.insert(column.member, value);
        if (isIdentifier(column.type) || column.member == m_kind.keyMember) {
            auto *copy = new QPushButton(tr("Copy"), this);
            copy->setToolTip(tr("Copy the %1").arg(column.header));
            copy->setAccessibleName(tr("Copy %1").arg(column.header));
            copy->setEnabled(false);
            connect(copy, &QPushButton::clicked, this, [this, member = column.member] { copyValue(member); });
            grid->addWidget(copy, row, col + 2);
            m_copyButtons.insert(column.member, copy);
        }
    }
    for (int c = 0; c < fieldsPerLine; ++c)
        grid->setColumnStretch(c * 3 + 1, 1);

    m_extras->setReadOnly(true);
    m_extras->setFont(fixed);
    m_extras->setMaximumHeight(m_extras->fontMetrics().lineSpacing() * 4 + 12);
    m_extras->setObjectName(QStringLiteral("detailExtras"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addLayout(grid);
    layout->addWidget(m_extrasLabel);
    layout->addWidget(m_extras);
    layout->addStretch(1);
    clear();
}

void DetailPane::showRow(const QAbstractItemModel *model, int row)
{
    if (!model || row < 0 || row >= model->rowCount()) {
        clear();
        return;
    }
    const QModelIndex first = model->index(row, 0);
    m_resource = model->data(first, ResourceTableModel::ResourceRole).toJsonObject();
    m_rawValues.clear();
    for (int column = 0; column < model->columnCount(); ++column) {
        const QString member = model->headerData(column, Qt::Horizontal, ResourceTableModel::MemberRole).toString();
        QLineEdit *edit = m_values.value(member);
        if (!edit)
            continue;
        const QModelIndex index = model->index(row, column);
        const QString display = model->data(index, Qt::DisplayRole).toString();
        const QVariant raw = model->data(index, ResourceTableModel::RawValueRole);
        QString full
            = raw.typeId() == QMetaType::QDateTime ? model->data(index, Qt::ToolTipRole).toString() : raw.toString();
        if (full.isEmpty())
            full = display;
        QString shown = display;
        if (raw.typeId() == QMetaType::QDateTime && !full.isEmpty() && full != display)
            shown = tr("%1  (%2)").arg(display, full);
        edit->setText(shown);
        edit->setCursorPosition(0);
        edit->setToolTip(plainToolTip(full));
        m_rawValues.insert(member, full);
        if (QPushButton *copy = m_copyButtons.value(member))
            copy->setEnabled(!full.isEmpty());
    }

    QJsonObject extras = m_resource;
    for (const ColumnSpec &column : m_kind.columns)
        extras.remove(column.member);
    const bool hasExtras = !extras.isEmpty();
    m_extras->setPlainText(
        hasExtras ? QString::fromUtf8(QJsonDocument(extras).toJson(QJsonDocument::Indented)) : QString());
    m_extras->setVisible(hasExtras);
    m_extrasLabel->setVisible(hasExtras);

    const QString key = model->data(first, ResourceTableModel::KeyRole).toString();
    m_title->setText(key.isEmpty() ? tr("Row %1").arg(row + 1) : key);
    m_copyJson->setEnabled(true);
}

void DetailPane::clear()
{
    m_resource = {};
    m_rawValues.clear();
    for (QLineEdit *edit : std::as_const(m_values)) {
        edit->clear();
        edit->setToolTip({});
    }
    for (QPushButton *copy : std::as_const(m_copyButtons))
        copy->setEnabled(false);
    m_extras->clear();
    m_extras->hide();
    m_extrasLabel->hide();
    m_title->setText(tr("No row selected"));
    m_copyJson->setEnabled(false);
}

QString DetailPane::valueText(const QString &member) const
{
    const QLineEdit *edit = m_values.value(member);
    return edit ? edit->text() : QString();
}

void DetailPane::copyValue(const QString &member)
{
    const QString value = m_rawValues.value(member);
    if (value.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(value);
    const int index = m_kind.columnIndex(member);
    emit copied(tr("%1 copied: %2").arg(index < 0 ? member : m_kind.columns[index].header, value));
}

} // namespace pagewise
