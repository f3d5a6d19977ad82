#pragma once

#include <QTableView>

namespace pagewise
{

/// The table of a resource view. Only reaching the bottom asks the model for another page:
/// QAbstractItemView also fetches when the horizontal scrollbar reaches its end, so scrolling
/// to the last column of a wide table would send a request for rows nobody scrolled to.
class ResourceTableView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResourceTableView)
public:
    explicit ResourceTableView(QWidget *parent = nullptr);

protected slots:
    void horizontalScrollbarValueChanged(int value) override;
};

} // namespace pagewise
