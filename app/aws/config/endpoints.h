#pragma once

#include "core/result.h"

#include <QString>
#include <QUrl>

namespace pagewise
{

struct ServiceSpec;

/// An AWS partition (botocore/data/partitions.json): which regions it holds and their DNS suffix.
struct Partition {
    QString id; ///< "aws", "aws-cn", "aws-us-gov", ...
    QString dnsSuffix; ///< "amazonaws.com", "amazonaws.com.cn", ...
};

/// The partition of a region, matched by the partitions' region patterns; a region that matches
/// none belongs to "aws", as in botocore's endpoint rules.
Partition partitionForRegion(const QString &region);

/// True for names botocore accepts as a region (a DNS label: letters, digits and '-', not only
/// digits, no '-' at either end, at most 63 characters).
bool isValidRegionName(const QString &region);

/// https://{hostPrefix}{endpointPrefix}.{region}.{dnsSuffix}: the AWS endpoint of a service.
QUrl defaultEndpoint(const ServiceSpec &service, const QString &hostPrefix, const QString &region);

/// A custom endpoint checked the way botocore checks endpoint_url: http or https, a host that is
/// a DNS name or an IP address (IPv6 in brackets), an optional port and path, no user, query or
/// fragment. The path is kept without its trailing '/', for callers to put before the request
/// URI. source ("AWS_ENDPOINT_URL", "--endpoint-url", ...) names the origin in errors.
Result<QUrl> parseEndpointUrl(const QString &text, const QString &source);

/// True when host is an IPv4 or IPv6 address, where a host prefix cannot go.
bool isIpAddressHost(const QString &host);

} // namespace pagewise
