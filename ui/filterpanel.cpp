#include "filterpanel.h"

#include "datetimefilteredit.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIntValidator>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>

namespace pagewise
{

namespace
{

const QLatin1String pageSizeKey("PageSize");
const QLatin1String maxItemsKey("MaxItems");
const QLatin1String startingTokenKey("StartingToken");

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

QLabel *caption(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, palette.color(QPalette::Disabled, QPalette::WindowText));
    label->setPalette(palette);
    return label;
}

bool isIdentifier(ValueType type)
{
    return type == ValueType::Id || type == ValueType::Arn;
}

QFont fixedFont()
{
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
}

QStringList enumValuesOf(const ResourceKind &kind, const QString &column)
{
    const int index = kind.columnIndex(column);
    return index < 0 ? QStringList() : kind.columns[index].enumValues;
}

// "CREATE_FAILED" -> "Create failed", as the table shows enum values; the wire value is the data.
QString readableEnum(const QString &value)
{
    QString text = value.toLower().replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

void fillEnumCombo(QComboBox *combo, const QStringList &values)
{
    combo->addItem(QObject::tr("(any)"), QString());
    for (const QString &value : values) {
        combo->addItem(readableEnum(value), value);
        combo->setItemData(combo->count() - 1, value, Qt::ToolTipRole);
    }
}

QString isoString(const std::optional<QDateTime> &value)
{
    return value ? value->toUTC().toString(Qt::ISODate) : QString();
}

std::optional<QDateTime> fromIsoString(const QString &text)
{
    if (text.isEmpty())
        return std::nullopt;
    QDateTime value = QDateTime::fromString(text, Qt::ISODate);
    if (!value.isValid())
        return std::nullopt;
    return value.toUTC();
}

QString settingsKey(const QString &text)
{
    // QSettings treats '/' as a group separator; member names never contain it, but be safe.
    return QString(text).replace(QLatin1Char('/'), QLatin1Char('_'));
}

} // namespace

FilterPanel::FilterPanel(const ResourceKind &kind, QWidget *parent)
    : QWidget(parent)
    , m_kind(kind)
{
    setObjectName(QStringLiteral("filterPanel_") + kind.id);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);

    layout->addWidget(buildParameters());

    m_advancedToggle = new QToolButton(this);
    m_advancedToggle->setText(tr("Advan&ced: page size, max items, tokens"));
    m_advancedToggle->setCheckable(true);
    m_advancedToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_advancedToggle->setArrowType(Qt::RightArrow);
    m_advancedToggle->setAutoRaise(true);
    layout->addWidget(m_advancedToggle);
    m_advanced = buildAdvanced();
    m_advanced->hide();
    layout->addWidget(m_advanced);
    connect(m_advancedToggle, &QToolButton::toggled, this, [this](bool open) {
        m_advanced->setVisible(open);
        m_advancedToggle->setArrowType(open ? Qt::DownArrow : Qt::RightArrow);
    });

    m_apply = new QPushButton(style()->standardIcon(QStyle::SP_DialogApplyButton), tr("&Apply"), this);
    m_apply->setToolTip(tr("List with these parameters (Enter)"));
    m_apply->setObjectName(QStringLiteral("apply"));
    m_reset = new QPushButton(style()->standardIcon(QStyle::SP_DialogResetButton), tr("Rese&t"), this);
    m_reset->setToolTip(tr("Clear every filter"));
    m_reset->setObjectName(QStringLiteral("reset"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_apply, 1);
    buttons->addWidget(m_reset);
    layout->addLayout(buttons);
    connect(m_apply, &QPushButton::clicked, this, &FilterPanel::applyRequested);
    connect(m_reset, &QPushButton::clicked, this, [this] {
        reset();
        emit resetRequested();
    });

    if (!m_kind.localFilters.isEmpty()) {
        layout->addSpacing(10);
        layout->addWidget(buildLocalFilters());
    }
    layout->addStretch(1);
}

QWidget *FilterPanel::buildParameters()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(sectionTitle(tr("Sent to the service"), box));
    layout->addWidget(caption(tr("%1 request parameters").arg(m_kind.operation.name), box));

    // Fields point into m_kind.filters, which outlives the panel and never changes.
    for (const FilterSpec &spec : m_kind.filters) {
        ParameterField field;
        field.spec = &spec;
        const QString labelText = spec.required ? spec.label + QStringLiteral(" *") : spec.label;
        QString tip = tr("%1 (request member %2, CLI --%3)").arg(spec.label, spec.parameter, spec.cliFlag);
        if (spec.required)
            tip += tr("\nRequired.");
        if (!spec.pattern.isEmpty())
            tip += tr("\nMust match %1").arg(spec.pattern);
        QWidget *editor = nullptr;
        layout->addSpacing(4);
        if (spec.type == ValueType::Timestamp) {
            field.date = new DateTimeFilterEdit(labelText,
                spec.bound == QLatin1String("before") ? DateTimeFilterEdit::Bound::Before
                                                      : DateTimeFilterEdit::Bound::After,
                box);
            editor = field.date;
            layout->addWidget(field.date);
        } else {
            auto *label = new QLabel(labelText, box);
            layout->addWidget(label);
            if (spec.type == ValueType::Enum) {
                field.combo = new QComboBox(box);
                fillEnumCombo(field.combo, enumValuesOf(m_kind, spec.column));
                editor = field.combo;
            } else if (isIdentifier(spec.type)) {
                field.combo = new QComboBox(box);
                field.combo->setEditable(true);
                field.combo->setInsertPolicy(QComboBox::NoInsert);
                field.combo->setFont(fixedFont());
                field.combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
                field.combo->setMinimumContentsLength(20);
                field.combo->lineEdit()->setPlaceholderText(spec.required ? tr("required") : tr("optional"));
                field.combo->lineEdit()->setClearButtonEnabled(true);
                editor = field.combo;
            } else {
                field.line = new QLineEdit(box);
                field.line->setClearButtonEnabled(true);
                field.line->setPlaceholderText(spec.required ? tr("required") : tr("optional"));
                if (spec.type == ValueType::Integer)
                    field.line->setValidator(new QIntValidator(field.line));
                if (spec.maxLength)
                    field.line->setMaxLength(*spec.maxLength);
                editor = field.line;
            }
            label->setBuddy(editor);
            layout->addWidget(editor);
        }
        if (field.combo && field.combo->isEditable()) {
            connect(field.combo, &QComboBox::currentTextChanged, this,
                [this, parameter = spec.parameter](
                    const QString &text) { emit parameterEdited(parameter, text.trimmed()); });
        } else if (field.line) {
            connect(field.line, &QLineEdit::textChanged, this, [this, parameter = spec.parameter](const QString &text) {
                emit parameterEdited(parameter, text.trimmed());
            });
        }
        editor->setToolTip(tip);
        editor->setObjectName(spec.parameter);
        editor->setAccessibleName(spec.label);
        field.error = addErrorLabel(spec.parameter, box);
        layout->addWidget(field.error);
        m_parameters << field;
    }
    if (m_kind.filters.isEmpty())
        layout->addWidget(caption(tr("This operation takes no filter parameters."), box));
    return box;
}

QWidget *FilterPanel::buildLocalFilters()
{
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(sectionTitle(tr("Filter loaded rows (local)"), box));
    layout->addWidget(
        caption(tr("%1 cannot filter these on the server: they match among the rows loaded so far, as you type.")
                    .arg(m_kind.operation.name),
            box));

    for (const LocalFilterSpec &spec : m_kind.localFilters) {
        LocalField field;
        field.spec = &spec;
        layout->addSpacing(4);
        auto *label = new QLabel(spec.label, box);
        layout->addWidget(label);
        const QString name = QStringLiteral("local_") + spec.column;
        if (spec.type == ValueType::Timestamp) {
            field.from = new DateTimeFilterEdit(tr("on or after"), DateTimeFilterEdit::Bound::After, box);
            field.to = new DateTimeFilterEdit(tr("on or before"), DateTimeFilterEdit::Bound::Before, box);
            field.from->setObjectName(name + QStringLiteral("_from"));
            field.to->setObjectName(name + QStringLiteral("_to"));
            label->setBuddy(field.from->checkBox());
            layout->addWidget(field.from);
            layout->addWidget(field.to);
            connect(field.from, &DateTimeFilterEdit::changed, this, &FilterPanel::localFiltersChanged);
            connect(field.to, &DateTimeFilterEdit::changed, this, &FilterPanel::localFiltersChanged);
        } else if (spec.type == ValueType::Enum) {
            field.combo = new QComboBox(box);
            field.combo->setObjectName(name);
            fillEnumCombo(field.combo, enumValuesOf(m_kind, spec.column));
            label->setBuddy(field.combo);
            layout->addWidget(field.combo);
            connect(field.combo, &QComboBox::currentIndexChanged, this, &FilterPanel::localFiltersChanged);
        } else {
            field.line = new QLineEdit(box);
            field.line->setObjectName(name);
            field.line->setClearButtonEnabled(true);
            field.line->setPlaceholderText(tr("contains…"));
            label->setBuddy(field.line);
            layout->addWidget(field.line);
            connect(field.line, &QLineEdit::textChanged, this, &FilterPanel::localFiltersChanged);
        }
        m_locals << field;
    }
    return box;
}

QWidget *FilterPanel::buildAdvanced()
{
    auto *box = new QWidget(this);
    auto *form = new QFormLayout(box);
    form->setContentsMargins(12, 0, 0, 0);
    form->setRowWrapPolicy(QFormLayout::WrapAllRows);

    m_pageSize = new QSpinBox(box);
    m_pageSize->setObjectName(pageSizeKey);
    m_pageSize->setRange(0, m_kind.pagination.maxPageSize);
    m_pageSize->setSpecialValueText(tr("service default (%1)").arg(m_kind.pagination.defaultPageSize));
    m_pageSize->setToolTip(tr("Items per request (%1, %2 to %3); PaginationConfig PageSize, CLI --page-size")
                               .arg(m_kind.pagination.limitKey)
                               .arg(m_kind.pagination.minPageSize)
                               .arg(m_kind.pagination.maxPageSize));
    m_pageSize->setValue(defaultPageSize());
    form->addRow(tr("Page size"), m_pageSize);
    form->addRow(addErrorLabel(pageSizeKey, box));

    m_maxItems = new QSpinBox(box);
    m_maxItems->setObjectName(maxItemsKey);
    m_maxItems->setRange(0, std::numeric_limits<int>::max());
    m_maxItems->setSpecialValueText(tr("no limit"));
    m_maxItems->setToolTip(tr("Stop after this many items in total; CLI --max-items"));
    form->addRow(tr("Max items"), m_maxItems);
    form->addRow(addErrorLabel(maxItemsKey, box));

    m_startingToken = new QLineEdit(box);
    m_startingToken->setObjectName(startingTokenKey);
    m_startingToken->setFont(fixedFont());
    m_startingToken->setClearButtonEnabled(true);
    m_startingToken->setPlaceholderText(tr("start from the beginning"));
    m_startingToken->setToolTip(tr("Resume a listing: a token from the AWS CLI (--starting-token) or from below"));
    form->addRow(tr("Starting token"), m_startingToken);
    form->addRow(addErrorLabel(startingTokenKey, box));

    m_resumeToken = new QLineEdit(box);
    m_resumeToken->setObjectName(QStringLiteral("resumeToken"));
    m_resumeToken->setReadOnly(true);
    m_resumeToken->setFont(fixedFont());
    m_resumeToken->setPlaceholderText(tr("none yet"));
    m_resumeToken->setToolTip(tr("Continues this listing right after the last loaded row, here or with\n%1 ... "
                                 "--starting-token <token>")
                                  .arg(m_kind.operation.cli));
    auto *copy = new QToolButton(box);
    copy->setIcon(style()->standardIcon(QStyle::SP_FileDialogDetailedView));
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the resume token"));
    copy->setAccessibleName(tr("Copy resume token"));
    connect(copy, &QToolButton::clicked, this, [this] {
        if (!m_resumeToken->text().isEmpty())
            QGuiApplication::clipboard()->setText(m_resumeToken->text());
    });
    auto *use = new QToolButton(box);
    use->setIcon(style()->standardIcon(QStyle::SP_ArrowUp));
    use->setToolTip(tr("Use as starting token"));
    use->setAccessibleName(tr("Use resume token as starting token"));
    connect(use, &QToolButton::clicked, this, [this] { m_startingToken->setText(m_resumeToken->text()); });
    auto *row = new QHBoxLayout;
    row->addWidget(m_resumeToken, 1);
    row->addWidget(copy);
    row->addWidget(use);
    form->addRow(tr("Resume token (after last loaded row)"), row);
    return box;
}

QLabel *FilterPanel::addErrorLabel(const QString &parameter, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QStringLiteral("error_") + parameter);
    label->setTextFormat(Qt::PlainText);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("QLabel { color: #b00020; }"));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->hide();
    m_errors.insert(parameter, label);
    return label;
}

QString FilterPanel::fieldText(const ParameterField &field) const
{
    if (field.line)
        return field.line->text().trimmed();
    if (field.combo && field.combo->isEditable())
        return field.combo->currentText().trimmed();
    if (field.combo)
        return field.combo->currentData().toString();
    return {};
}

ListQuery FilterPanel::query() const
{
    ListQuery query;
    query.kindId = m_kind.id;
    for (const ParameterField &field : m_parameters) {
        if (field.date) {
            if (const auto value = field.date->value())
                query.parameters.insert(field.spec->parameter, *value);
            continue;
        }
        const QString text = fieldText(field);
        if (text.isEmpty())
            continue;
        bool isInt = false;
        const int number = text.toInt(&isInt);
        if (field.spec->type == ValueType::Integer && isInt)
            query.parameters.insert(field.spec->parameter, number);
        else
            query.parameters.insert(field.spec->parameter, text);
    }
    if (m_pageSize->value() > 0)
        query.pageSize = m_pageSize->value();
    if (m_maxItems->value() > 0)
        query.maxItems = m_maxItems->value();
    query.startingToken = m_startingToken->text().trimmed();
    return query;
}

void FilterPanel::setQuery(const ListQuery &query)
{
    for (const ParameterField &field : m_parameters) {
        const QVariant value = query.parameters.value(field.spec->parameter);
        if (field.date) {
            field.date->setValue(value.isValid() ? std::optional<QDateTime>(value.toDateTime()) : std::nullopt);
        } else if (field.line) {
            field.line->setText(value.toString());
        } else if (field.combo && field.combo->isEditable()) {
            field.combo->setEditText(value.toString());
            field.combo->lineEdit()->setCursorPosition(0);
        } else if (field.combo) {
            field.combo->setCurrentIndex(qMax(0, field.combo->findData(value.toString())));
        }
    }
    m_pageSize->setValue(query.pageSize.value_or(0));
    m_maxItems->setValue(int(qMin<qint64>(query.maxItems.value_or(0), std::numeric_limits<int>::max())));
    m_startingToken->setText(query.startingToken);
    if (query.pageSize.value_or(0) != defaultPageSize() || query.maxItems || !query.startingToken.isEmpty())
        m_advancedToggle->setChecked(true);
}

QList<LocalFilterInput> FilterPanel::localFilters() const
{
    QList<LocalFilterInput> out;
    for (const LocalField &field : m_locals) {
        LocalFilterInput input;
        input.column = field.spec->column;
        input.alsoColumns = field.spec->alsoColumns;
        input.type = field.spec->type;
        if (field.line)
            input.text = field.line->text().trimmed();
        if (field.combo)
            input.text = field.combo->currentData().toString();
        if (field.from)
            input.from = field.from->value();
        if (field.to)
            input.to = field.to->value();
        out << input;
    }
    return out;
}

void FilterPanel::setSuggestions(const QString &parameter, const QStringList &values)
{
    for (const ParameterField &field : m_parameters) {
        if (field.spec->parameter != parameter || !field.combo || !field.combo->isEditable())
            continue;
        const QString current = field.combo->currentText();
        field.combo->clear();
        field.combo->addItems(values);
        field.combo->setEditText(current);
        field.combo->lineEdit()->setCursorPosition(0);
    }
}

bool FilterPanel::showFieldErrors(const QList<FieldError> &errors)
{
    clearFieldErrors();
    QWidget *first = nullptr;
    for (const FieldError &error : errors) {
        QLabel *label = m_errors.value(error.parameter);
        if (!label) {
            // A parameter without a field of its own (e.g. a date range spanning two): show it on
            // the Apply row's nearest field, never drop it.
            label
                = m_errors.value(m_parameters.isEmpty() ? QString(pageSizeKey) : m_parameters.first().spec->parameter);
        }
        if (!label)
            continue;
        const QString text = label->isHidden() ? error.message : label->text() + QLatin1Char('\n') + error.message;
        label->setText(text);
        label->show();
        if (QWidget *editor = editorFor(error.parameter)) {
            if (!first)
                first = editor;
        }
        if (error.parameter == pageSizeKey || error.parameter == maxItemsKey || error.parameter == startingTokenKey)
            m_advancedToggle->setChecked(true);
    }
    if (first)
        first->setFocus(Qt::OtherFocusReason);
    return !errors.isEmpty();
}

void FilterPanel::clearFieldErrors()
{
    for (QLabel *label : std::as_const(m_errors)) {
        label->clear();
        label->hide();
    }
}

QString FilterPanel::fieldError(const QString &parameter) const
{
    const QLabel *label = m_errors.value(parameter);
    return label && !label->isHidden() ? label->text() : QString();
}

void FilterPanel::setResumeToken(const QString &token)
{
    m_resumeToken->setText(token);
    m_resumeToken->setCursorPosition(0);
}

QString FilterPanel::resumeToken() const
{
    return m_resumeToken->text();
}

void FilterPanel::reset()
{
    ListQuery empty;
    empty.kindId = m_kind.id;
    empty.pageSize = defaultPageSize();
    setQuery(empty);
    const QSignalBlocker blocker(this);
    for (const LocalField &field : m_locals) {
        if (field.line)
            field.line->clear();
        if (field.combo)
            field.combo->setCurrentIndex(0);
        if (field.from)
            field.from->clear();
        if (field.to)
            field.to->clear();
    }
    clearFieldErrors();
    emit localFiltersChanged();
}

void FilterPanel::focusFirstField()
{
    QWidget *first = nullptr;
    if (!m_parameters.isEmpty())
        first = editorFor(m_parameters.first().spec->parameter);
    else if (!m_locals.isEmpty())
        first = m_locals.first().line ? static_cast<QWidget *>(m_locals.first().line) : m_locals.first().combo;
    if (!first)
        first = m_apply;
    first->setFocus(Qt::ShortcutFocusReason);
    if (auto *line = qobject_cast<QLineEdit *>(first))
        line->selectAll();
    else if (auto *combo = qobject_cast<QComboBox *>(first); combo && combo->isEditable())
        combo->lineEdit()->selectAll();
}

void FilterPanel::saveState(QSettings &settings) const
{
    settings.remove(QString());
    const ListQuery q = query();
    for (auto it = q.parameters.cbegin(); it != q.parameters.cend(); ++it) {
        const QVariant &value = it.value();
        settings.setValue(QStringLiteral("parameters/") + settingsKey(it.key()),
            value.typeId() == QMetaType::QDateTime ? isoString(value.toDateTime()) : value.toString());
    }
    // Only a size the user chose: 0 (the service's default) included, the window's own left out
    // so that it follows the default.
    if (m_pageSize->value() != defaultPageSize())
        settings.setValue(pageSizeKey, m_pageSize->value());
    if (q.maxItems)
        settings.setValue(maxItemsKey, *q.maxItems);
    for (const LocalFilterInput &input : localFilters()) {
        const QString group = QStringLiteral("local/") + settingsKey(input.column) + QLatin1Char('/');
        if (!input.text.isEmpty())
            settings.setValue(group + QStringLiteral("text"), input.text);
        if (input.from)
            settings.setValue(group + QStringLiteral("from"), isoString(input.from));
        if (input.to)
            settings.setValue(group + QStringLiteral("to"), isoString(input.to));
    }
}

void FilterPanel::restoreState(QSettings &settings)
{
    ListQuery q;
    q.kindId = m_kind.id;
    for (const ParameterField &field : m_parameters) {
        const QString text
            = settings.value(QStringLiteral("parameters/") + settingsKey(field.spec->parameter)).toString();
        if (text.isEmpty())
            continue;
        if (field.spec->type == ValueType::Timestamp) {
            if (const auto value = fromIsoString(text))
                q.parameters.insert(field.spec->parameter, *value);
        } else {
            q.parameters.insert(field.spec->parameter, text);
        }
    }
    bool ok = false;
    q.pageSize = defaultPageSize();
    if (settings.contains(pageSizeKey)) {
        const int pageSize = settings.value(pageSizeKey).toInt(&ok);
        if (ok && pageSize >= 0 && pageSize <= m_kind.pagination.maxPageSize)
            q.pageSize = pageSize > 0 ? std::optional<int>(pageSize) : std::nullopt;
    }
    const qint64 maxItems = settings.value(maxItemsKey).toLongLong(&ok);
    if (ok && maxItems > 0)
        q.maxItems = maxItems;
    setQuery(q);

    const QSignalBlocker blocker(this);
    for (const LocalField &field : m_locals) {
        const QString group = QStringLiteral("local/") + settingsKey(field.spec->column) + QLatin1Char('/');
        const QString text = settings.value(group + QStringLiteral("text")).toString();
        if (field.line)
            field.line->setText(text);
        if (field.combo)
            field.combo->setCurrentIndex(qMax(0, field.combo->findData(text)));
        if (field.from)
            field.from->setValue(fromIsoString(settings.value(group + QStringLiteral("from")).toString()));
        if (field.to)
            field.to->setValue(fromIsoString(settings.value(group + QStringLiteral("to")).toString()));
    }
}

QWidget *FilterPanel::editorFor(const QString &parameter) const
{
    if (parameter == pageSizeKey)
        return m_pageSize;
    if (parameter == maxItemsKey)
        return m_maxItems;
    if (parameter == startingTokenKey)
        return m_startingToken;
    for (const ParameterField &field : m_parameters) {
        if (field.spec->parameter != parameter)
            continue;
        if (field.date)
            return field.date;
        if (field.line)
            return field.line;
        return field.combo;
    }
    return nullptr;
}

void FilterPanel::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) {
        emit applyRequested();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

} // namespace pagewise
