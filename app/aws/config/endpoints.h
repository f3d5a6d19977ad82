#pragma once

#include "core/result.h"

#include <QString>
#include <QUrl>

namespace pagewise
{

struct ServiceSpec;

/// An AWS partition (botocore/data/partitions.json): which regions it holds, their DNS suffixes
/// and which endpoint variants it offers.
struct Partition {
    QString id; ///< "aws", "aws-cn", "aws-us-gov", ...
    QString dnsSuffix; ///< "amazonaws.com", "amazonaws.com.cn", ...
    QString dualStackDnsSuffix; ///< "api.aws", "api.amazonwebservices.com.cn", ...
    bool supportsFips = true;
    bool supportsDualStack = true;
};

/// Which of a service's AWS endpoints to use: use_fips_endpoint / use_dualstack_endpoint.
struct EndpointVariant {
    bool fips = false;
    bool dualStack = false;
};

/// The partition of a region, matched by the partitions' region patterns; a region that matches
/// none belongs to "aws", as in botocore's endpoint rules.
Partition partitionForRegion(const QString &region);

/// True for names botocore accepts as a region (a DNS label: letters, digits and '-', not only
/// digits, no '-' at either end, at most 63 characters).
bool isValidRegionName(const QString &region);

/// https://{hostPrefix}{endpointPrefix}.{region}.{dnsSuffix}: the AWS endpoint of a service.
QUrl defaultEndpoint(const ServiceSpec &service, const QString &hostPrefix, const QString &region);

/// The AWS endpoint of a service in a region as the services' endpoint rule sets build it:
/// https://{hostPrefix}{endpointPrefix}[-fips].{region}.{dnsSuffix, or dualStackDnsSuffix for
/// dual-stack}, except where a rule set names its own host (SageMaker's FIPS endpoints in the
/// aws and aws-us-gov partitions are api-fips.sagemaker.{region}.amazonaws.com). A variant the
/// region's partition does not offer is a Configuration error naming the region and service.
Result<QUrl> awsEndpoint(
    const ServiceSpec &service, const QString &hostPrefix, const QString &region, EndpointVariant variant);
/// The same in a given partition (for partitions whose regions botocore does not know yet).
Result<QUrl> awsEndpoint(const ServiceSpec &service, const QString &hostPrefix, const QString &region,
    EndpointVariant variant, const Partition &partition);

/// A custom endpoint checked the way botocore checks endpoint_url: http or https, a host that is
/// a DNS name or an IP address (IPv6 in brackets), an optional port and path, no user, query or
/// fragment. The path is kept without its trailing '/', for callers to put before the request
/// URI. source ("AWS_ENDPOINT_URL", "--endpoint-url", ...) names the origin in errors.
Result<QUrl> parseEndpointUrl(const QString &text, const QString &source);

/// True when host is an IPv4 or IPv6 address, where a host prefix cannot go.
bool isIpAddressHost(const QString &host);

} // namespace pagewise
