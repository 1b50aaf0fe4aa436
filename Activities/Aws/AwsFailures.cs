using Amazon.Runtime;
using RunsFleet.Activities.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Activities.Aws;

/// <summary>Turns AWS service errors into Temporal application failures whose type is the AWS
/// error code, so the Temporal UI shows the real cause and retry policies can tell a
/// permanent problem (bad request, missing table) from a passing one (throttling).</summary>
internal static class AwsFailures
{
    // Errors that mean "slow down": always retried, with the activity's backoff.
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "ProvisionedThroughputExceededException",
        "RequestThrottled",
        "TooManyUpdates",
        "SlowDown",
    };

    /// <summary>True when AWS asked us to slow down.</summary>
    public static bool IsThrottling(AmazonServiceException ex) =>
        ex is not null && ThrottlingCodes.Contains(ex.ErrorCode ?? string.Empty);

    /// <summary>True when retrying the same request cannot succeed.</summary>
    public static bool IsPermanent(AmazonServiceException ex) =>
        ex is not null && FailureTypes.PermanentAwsErrorCodes.Contains(ex.ErrorCode ?? string.Empty);

    /// <summary>Wraps <paramref name="ex"/> in an <see cref="ApplicationFailureException"/> typed with
    /// the AWS error code; permanent codes are marked non-retryable.</summary>
    public static ApplicationFailureException ToFailure(AmazonServiceException ex, string operation)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var code = string.IsNullOrEmpty(ex.ErrorCode) ? ex.GetType().Name : ex.ErrorCode;
        return new ApplicationFailureException(
            $"{operation} failed with {code}: {ex.Message}",
            ex,
            errorType: code,
            nonRetryable: IsPermanent(ex));
    }
}
