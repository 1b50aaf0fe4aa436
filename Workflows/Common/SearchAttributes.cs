using RunsFleet.Contracts.Common;
using Temporalio.Common;

namespace RunsFleet.Workflows.Common;

/// <summary>Custom search attributes, so an operator can find every run that touched a job, an
/// instance or a pool in the Temporal UI (e.g. <c>RunsFleetInstanceId = "i-0abc"</c>).
/// They must be registered on the namespace before workflows can set them.</summary>
public static class RunsFleetSearchAttributes
{
    public static readonly SearchAttributeKey<string> JobId =
        SearchAttributeKey.CreateKeyword(SearchAttributeNames.JobId);
    public static readonly SearchAttributeKey<string> InstanceId =
        SearchAttributeKey.CreateKeyword(SearchAttributeNames.InstanceId);
    public static readonly SearchAttributeKey<string> Pool =
        SearchAttributeKey.CreateKeyword(SearchAttributeNames.Pool);
    public static readonly SearchAttributeKey<string> SweepType =
        SearchAttributeKey.CreateKeyword(SearchAttributeNames.SweepType);

    /// <summary>Every key, for registration on a namespace.</summary>
    public static IReadOnlyList<SearchAttributeKey> All => [JobId, InstanceId, Pool, SweepType];
}
