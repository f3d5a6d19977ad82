#include "resourcetableview.h"

#include <QScrollBar>

namespace pagewise
{

ResourceTableView::ResourceTableView(QWidget *parent)
    : QTableView(parent)
{
}

void ResourceTableView::horizontalScrollbarValueChanged(int value)
{
    // The base class fetches more rows at the scrollbar's end; below it, it only updates the
    // hovered cell, which the next mouse move does at the end too.
    if (value < horizontalScrollBar()->maximum())
        QTableView::horizontalScrollbarValueChanged(value);
}

} // namespace pagewise
