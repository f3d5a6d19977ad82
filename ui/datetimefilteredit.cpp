#include "datetimefilteredit.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>

namespace pagewise
{

namespace
{

// A sensible range to start from when a bound is switched on: the last 30 days.
QDateTime defaultValue(DateTimeFilterEdit::Bound bound)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (bound == DateTimeFilterEdit::Bound::After)
        return QDateTime(now.date().addDays(-30), QTime(0, 0), Qt::UTC);
    return QDateTime(now.date().addDays(1), QTime(0, 0), Qt::UTC);
}

} // namespace

DateTimeFilterEdit::DateTimeFilterEdit(const QString &text, Bound bound, QWidget *parent)
    : QWidget(parent)
    , m_check(new QCheckBox(text, this))
    , m_edit(new QDateTimeEdit(this))
    , m_bound(bound)
{
    m_edit->setTimeSpec(Qt::UTC);
    m_edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    m_edit->setCalendarPopup(true);
    m_edit->setDateTime(defaultValue(bound));
    m_edit->setEnabled(false);
    m_edit->setAccessibleName(text);
    m_check->setToolTip(tr("Unchecked: not sent, no bound"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_check);
    layout->addWidget(m_edit);
    setFocusProxy(m_check);

    connect(m_check, &QCheckBox::toggled, this, &DateTimeFilterEdit::handleToggled);
    connect(m_edit, &QDateTimeEdit::dateTimeChanged, this, [this] {
        if (m_check->isChecked())
            emit changed();
    });
}

std::optional<QDateTime> DateTimeFilterEdit::value() const
{
    if (!m_check->isChecked())
        return std::nullopt;
    return m_edit->dateTime().toUTC();
}

void DateTimeFilterEdit::setValue(const std::optional<QDateTime> &value)
{
    const QSignalBlocker blockCheck(m_check);
    const QSignalBlocker blockEdit(m_edit);
    m_check->setChecked(value.has_value());
    m_edit->setEnabled(value.has_value());
    m_edit->setDateTime(value && value->isValid() ? value->toUTC() : defaultValue(m_bound));
    emit changed();
}

void DateTimeFilterEdit::clear()
{
    setValue(std::nullopt);
}

void DateTimeFilterEdit::handleToggled(bool on)
{
    m_edit->setEnabled(on);
    if (on)
        m_edit->setFocus(Qt::OtherFocusReason);
    emit changed();
}

} // namespace pagewise
