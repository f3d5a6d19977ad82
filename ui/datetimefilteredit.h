#pragma once

#include <QDateTime>
#include <QWidget>

#include <optional>

class QCheckBox;
class QDateTimeEdit;

namespace pagewise
{

/// A date/time bound that can be left unset: a check box turns it on, and only then is the
/// value sent. Times are edited and returned in UTC, the way the services compare them.
class DateTimeFilterEdit final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DateTimeFilterEdit)
public:
    enum class Bound { After, Before };

    explicit DateTimeFilterEdit(const QString &text, Bound bound, QWidget *parent = nullptr);

    /// nullopt when the check box is off.
    std::optional<QDateTime> value() const;
    void setValue(const std::optional<QDateTime> &value);
    void clear();

    QCheckBox *checkBox() const { return m_check; }
    QDateTimeEdit *editor() const { return m_edit; }

signals:
    void changed();

private:
    void handleToggled(bool on);

    QCheckBox *m_check = nullptr;
    QDateTimeEdit *m_edit = nullptr;
    Bound m_bound;
};

} // namespace pagewise
