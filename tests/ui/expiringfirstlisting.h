#pragma once

// Views whose page tokens "expire": the paging tests' token-altering transport under a paginator.

#include "expiringtokentransport.h"
#include "kinds/resourcekind.h"
#include "paging/paginator.h"

#include <limits>
#include <memory>

namespace pagewise::uitest
{

/// Paginators over `client` whose first listing's page tokens expire from the expireAt-th request
/// that carries one (the emulator then refuses them); later listings' tokens never do.
inline PageFetcherFactory expiringFirstListing(AwsClient *client, int expireAt)
{
    return [client, expireAt, listings = 0](const ListQuery &query) mutable -> std::unique_ptr<PageFetcher> {
        const ResourceKind *kind = findResourceKind(query.kindId);
        if (!kind)
            return nullptr;
        const int expiry = listings++ == 0 ? expireAt : std::numeric_limits<int>::max();
        return std::make_unique<Paginator>(
            std::make_unique<pagewise::test::ExpiringTokenTransport>(client, expiry), *kind, query);
    };
}

} // namespace pagewise::uitest
