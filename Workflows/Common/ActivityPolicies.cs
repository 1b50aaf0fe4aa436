using RunsFleet.Activities.Common;
using Temporalio.Common;
using Temporalio.Workflows;

namespace RunsFleet.Workflows.Common;

/// <summary>The retry policies every activity runs under. AWS calls are retried with bounded
/// exponential backoff; failures that cannot get better by retrying are named here so
/// Temporal stops at once and the run shows the reason.</summary>
public static class ActivityPolicies
{
    /// <summary>Failure types that are never retried; defined once in <see
    /// cref="FailureTypes.NonRetryable"/>.</summary>
    public static IReadOnlyCollection<string> NonRetryableErrorTypes => FailureTypes.NonRetryable;

    /// <summary>Retry policy of AWS calls: 1 s doubling to at most 1 min, 8 attempts (about 4 min).</summary>
    public static RetryPolicy AwsRetry => new()
    {
        InitialInterval = TimeSpan.FromSeconds(1),
        BackoffCoefficient = 2,
        MaximumInterval = TimeSpan.FromMinutes(1),
        MaximumAttempts = 8,
        NonRetryableErrorTypes = NonRetryableErrorTypes,
    };

    /// <summary>Options of a short AWS call (one or a few requests).</summary>
    public static ActivityOptions ShortAwsCall => new()
    {
        StartToCloseTimeout = TimeSpan.FromSeconds(30),
        ScheduleToCloseTimeout = TimeSpan.FromMinutes(10),
        RetryPolicy = AwsRetry,
    };

    /// <summary>Options of a page of sweep work (a listing page plus its lookups and deletes).</summary>
    public static ActivityOptions SweepPage => new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(5),
        ScheduleToCloseTimeout = TimeSpan.FromMinutes(30),
        HeartbeatTimeout = TimeSpan.FromMinutes(1),
        RetryPolicy = AwsRetry,
    };
}
