#pragma once

#include "kinds/resourcekind.h"
#include "paging/listquery.h"
#include "paging/queryvalidator.h"

#include <QDateTime>
#include <QHash>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSpinBox;
class QToolButton;

namespace pagewise
{

class DateTimeFilterEdit;

/// What the user typed into one local (client-side) filter of a kind: text, an enum value or a
/// date range over one column. Empty / unset parts do not filter.
struct LocalFilterInput {
    QString column; ///< LocalFilterSpec::column
    QStringList alsoColumns;
    ValueType type = ValueType::Text;
    QString text; ///< text contains / exact enum value
    std::optional<QDateTime> from, to; ///< inclusive bounds, UTC

    bool isActive() const { return !text.isEmpty() || from || to; }
    bool operator==(const LocalFilterInput &other) const = default;
};

/// The filter panel of one resource kind, generated from its descriptor: request parameters
/// (sent to the service, validated before sending with the reason next to the field), local
/// filters over loaded rows, and an Advanced part with PageSize, MaxItems and StartingToken.
class FilterPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilterPanel)
public:
    explicit FilterPanel(const ResourceKind &kind, QWidget *parent = nullptr);

    const ResourceKind &kind() const { return m_kind; }
    /// The page size the window asks for unless the user chooses another: the kind's largest,
    /// so that a screenful or "Load all" takes as few requests as the API allows. (The
    /// service's own default, often 10, stays one choice away; the CLI keeps it as its default.)
    int defaultPageSize() const { return m_kind.pagination.maxPageSize; }

    /// The listing as entered: only parameters that are set, PaginationConfig from Advanced.
    ListQuery query() const;
    void setQuery(const ListQuery &query);
    QList<LocalFilterInput> localFilters() const;

    /// Values offered in the drop-down of an ID/ARN parameter (free text stays possible).
    void setSuggestions(const QString &parameter, const QStringList &values);
    /// Puts each message next to its field; returns false when there are none.
    bool showFieldErrors(const QList<FieldError> &errors);
    void clearFieldErrors();
    QString fieldError(const QString &parameter) const;

    /// The token that resumes the listing after the last loaded row (copyable).
    void setResumeToken(const QString &token);
    QString resumeToken() const;

    /// Clears every field (request parameters, local filters, Advanced).
    void reset();
    /// Ctrl+F: the first field, selected.
    void focusFirstField();

    void saveState(QSettings &settings) const;
    void restoreState(QSettings &settings);

    /// The editor widget of a request parameter or PaginationConfig key (tests, focus).
    QWidget *editorFor(const QString &parameter) const;
    QPushButton *applyButton() const { return m_apply; }
    QPushButton *resetButton() const { return m_reset; }

signals:
    /// Apply or Enter: list with the request parameters now entered.
    void applyRequested();
    /// Reset was pressed (after the fields were cleared).
    void resetRequested();
    /// A local filter changed; applies at once over loaded rows.
    void localFiltersChanged();
    /// The text of a request parameter's field changed (typed or picked).
    void parameterEdited(const QString &parameter, const QString &text);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct ParameterField {
        const FilterSpec *spec = nullptr;
        QLineEdit *line = nullptr;
        QComboBox *combo = nullptr;
        DateTimeFilterEdit *date = nullptr;
        QLabel *error = nullptr;
    };
    struct LocalField {
        const LocalFilterSpec *spec = nullptr;
        QLineEdit *line = nullptr;
        QComboBox *combo = nullptr;
        DateTimeFilterEdit *from = nullptr;
        DateTimeFilterEdit *to = nullptr;
    };

    QWidget *buildParameters();
    QWidget *buildLocalFilters();
    QWidget *buildAdvanced();
    QLabel *addErrorLabel(const QString &parameter, QWidget *parent);
    QString fieldText(const ParameterField &field) const;

    const ResourceKind &m_kind;
    QList<ParameterField> m_parameters;
    QList<LocalField> m_locals;
    QHash<QString, QLabel *> m_errors; ///< parameter -> its error label
    QSpinBox *m_pageSize = nullptr;
    QSpinBox *m_maxItems = nullptr;
    QLineEdit *m_startingToken = nullptr;
    QLineEdit *m_resumeToken = nullptr;
    QToolButton *m_advancedToggle = nullptr;
    QWidget *m_advanced = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_reset = nullptr;
};

} // namespace pagewise
