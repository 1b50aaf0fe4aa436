using RunsFleet.Contracts.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Activities.Common;

/// <summary>The one definition of the application failure types this system raises and of which
/// failures are never retried. Activities raise them, the workflows' retry policies
/// (RunsFleet.Workflows.Common.ActivityPolicies) and the workflows themselves read them, and
/// <see cref="Aws.AwsFailures"/> marks AWS errors non-retryable from the same set.</summary>
public static class FailureTypes
{
    /// <summary>The input can never be processed as given.</summary>
    public const string InvalidInput = "InvalidInput";

    /// <summary>A thing the work needs does not exist.</summary>
    public const string NotFound = "NotFound";

    /// <summary>A jobs-table index a Query needs is missing or not yet ACTIVE; the message carries the fix
    /// (Preflight/MissingIndex.cs). Never retried: only a change to the table fixes it.</summary>
    public const string IndexMissing = "IndexMissing";

    /// <summary>A job record changed between the update and the read-back; retried.</summary>
    public const string ConcurrentJobUpdate = "ConcurrentJobUpdate";

    /// <summary>A start report arrived before runs-fleet saved the job's instance (claim stub); retried.</summary>
    public const string JobNotLaunched = "JobNotLaunched";

    /// <summary>AWS error codes no amount of retrying fixes: the request or the deployment is wrong.</summary>
    public static readonly IReadOnlySet<string> PermanentAwsErrorCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "ValidationException",
        "ResourceNotFoundException",
        "AccessDeniedException",
        "AccessDenied",
        "UnauthorizedOperation",
        "UnrecognizedClientException",
        "InvalidParameterValue",
        "InvalidParameterCombination",
        "MissingParameter",
        "NoSuchBucket",
        "InvalidFilterKey",

        // SQS (the requeue send): the queue in RUNS_FLEET_QUEUE_URL does not exist. The JSON protocol's
        // query-compatible code first, then the bare shape name.
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
    };

    /// <summary>Every failure type that is never retried: this system's own permanent failures and the
    /// permanent AWS error codes (which AwsFailures uses as the failure type).</summary>
    public static readonly IReadOnlyList<string> NonRetryable =
        [InvalidInput, NotFound, IndexMissing, .. PermanentAwsErrorCodes.Order(StringComparer.Ordinal)];

    /// <summary>A non-retryable failure of type <see cref="InvalidInput"/>.</summary>
    public static ApplicationFailureException Invalid(string message) =>
        new(message, errorType: InvalidInput, nonRetryable: true);

    /// <summary>The id, or a non-retryable <see cref="InvalidInput"/> failure unless it is an EC2 instance
    /// id.</summary>
    public static string RequireInstanceId(string? instanceId) =>
        InstanceIds.IsValid(instanceId)
            ? instanceId
            : throw Invalid($"'{instanceId}' is not an EC2 instance id (i- and 8 or 17 hex digits)");

    /// <summary>Refuses a job record key no record can have (non-retryable <see cref="InvalidInput"/>): a job id
    /// below 1, or an instance id that is not an EC2 one.</summary>
    public static void RequireJobKey(long jobId, string? instanceId)
    {
        if (jobId <= 0)
        {
            throw Invalid($"job id {jobId} must be positive");
        }

        RequireInstanceId(instanceId);
    }
}
