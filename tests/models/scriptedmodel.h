#pragma once

#include "fakepagefetcher.h"
#include "models/resourcetablemodel.h"

#include <QAbstractItemModelTester>

namespace pagewise::test
{

/// The lazy model over scripted pages, under QAbstractItemModelTester from the start; the test
/// drives fetchMore() itself and decides when each request answers.
struct ScriptedModel {
    explicit ScriptedModel(QList<QJsonArray> pages = {})
        : model(fakes.factory())
        , modelTester(&model)
    {
        fakes.pages = std::move(pages);
        modelTester.setUseFetchMore(false);
    }

    /// Asks for the next page unless a request is already on its way, and answers it.
    void nextPage()
    {
        if (!fakes.last()->isFetching())
            model.fetchMore({});
        fakes.last()->deliver();
    }

    FakeFetcherFactory fakes;
    ResourceTableModel model;
    QAbstractItemModelTester modelTester;
};

} // namespace pagewise::test
