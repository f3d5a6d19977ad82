#pragma once

#include "core/awserror.h"

namespace pagewise
{

// A page token the service refused in the middle of a listing. Service tokens expire (Deadline
// documents 24 hours) and belong to one listing, so sending the same token again cannot work;
// only a new listing, from its first page, goes on.
//
// The failure is an AwsError of kind Pagination with code pageTokenRejectedCode(). The service's
// code and message are quoted in the message; its HTTP status, request id, attempts and modeled
// details stay in their fields. Test for it with isPageTokenRejected(), never by the text.

/// "PageTokenRejected".
QString pageTokenRejectedCode();

/// Whether the service's answer to a request that carried a page token refuses that token:
/// Personalize's InvalidNextTokenException, or a ValidationException (what Deadline documents for
/// an expired or invalid token, and what SageMaker, which models no errors, answers) unless its
/// fieldList names only members other than `inputToken` ("NextToken", "nextToken").
bool refusesPageToken(const AwsError &serviceError, const QString &inputToken);

/// The typed failure for a refused page token, made from the service's error.
AwsError pageTokenRejected(AwsError serviceError);

/// True for a failure made by pageTokenRejected(): a retry would send the dead token again.
bool isPageTokenRejected(const AwsError &error);

} // namespace pagewise
