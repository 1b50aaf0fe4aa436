using RunsFleet.Infrastructure;
using RunsFleet.Infrastructure.Messaging;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// Synthesizes the stack variants once for every test class of the collection (synthesis costs seconds):
/// the default (FIFO termination queue, jobs table imported, Temporal Cloud API key from Secrets Manager, no
/// runner instance profile), one that creates the jobs and pools tables, connects without TLS or API key and names
/// the runner instance profile (<see cref="RunnerInstanceProfileArn"/>) and runs-fleet's job queue
/// (<see cref="JobQueueUrl"/>), one that differs from the default only
/// in its standard termination queue, one beside a running runs-fleet (everything of it adopted) and one that
/// migrates a jobs table created by an earlier release.
/// </summary>
public sealed class SynthesizedStacksFixture
{
    /// <summary>The runner instance profile of <see cref="WithCreatedJobsTable"/> (with a path, as IAM allows).</summary>
    public const string RunnerInstanceProfileArn = "arn:aws:iam::123456789012:instance-profile/runs-fleet/runners";

    /// <summary>runs-fleet's job queue of <see cref="WithCreatedJobsTable"/>.</summary>
    public const string JobQueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-main.fifo";

    public SynthesizedStacksFixture()
    {
        Default = SynthesizedStack.Synthesize();
        WithCreatedJobsTable = SynthesizedStack.Synthesize(new Dictionary<string, object>
        {
            [RunsFleetSettings.Keys.CreateJobsTable] = true,
            [RunsFleetSettings.Keys.CreatePoolsTable] = "true",
            [RunsFleetSettings.Keys.TemporalApiKeySecret] = string.Empty,
            [RunsFleetSettings.Keys.TemporalTls] = "false",
            [RunsFleetSettings.Keys.AlarmTopicArn] = "arn:aws:sns:eu-west-1:123456789012:runs-fleet-alarms",
            [RunsFleetSettings.Keys.RunnerInstanceProfileArn] = RunnerInstanceProfileArn,
            [RunsFleetSettings.Keys.JobQueueUrl] = JobQueueUrl,
        });
        WithStandardTerminationQueue = SynthesizedStack.Synthesize(new Dictionary<string, object>
        {
            [RunsFleetSettings.Keys.TerminationQueueKind] = "standard",
        });
        BesideRunsFleet = SynthesizedStack.Synthesize(new Dictionary<string, object>
        {
            [RunsFleetSettings.Keys.JobsTableName] = AdoptedJobsTable,
            [RunsFleetSettings.Keys.PoolsTableName] = AdoptedPoolsTable,
            [RunsFleetSettings.Keys.ExistingTerminationQueue] = AdoptedTerminationQueueUrl,
            [RunsFleetSettings.Keys.ExistingTerminationDeadLetterQueue] = AdoptedTerminationDlqName,
            [RunsFleetSettings.Keys.BridgeDesiredCount] = "0",
        });
        WithMigratingJobsTable = SynthesizedStack.Synthesize(new Dictionary<string, object>
        {
            [RunsFleetSettings.Keys.CreateJobsTable] = "true",
            [RunsFleetSettings.Keys.JobsInstanceIdIndex] = "instance_id-index",
            [RunsFleetSettings.Keys.OmitJobsTableIndexes] = "pool-created-at-index, pool-status-index",
        });
    }

    /// <summary>The jobs table <see cref="BesideRunsFleet"/> adopts.</summary>
    public const string AdoptedJobsTable = "fleet-jobs";

    /// <summary>The pools table <see cref="BesideRunsFleet"/> adopts.</summary>
    public const string AdoptedPoolsTable = "fleet-pools";

    /// <summary>runs-fleet's termination queue, by URL, as <see cref="BesideRunsFleet"/> adopts it.</summary>
    public const string AdoptedTerminationQueueUrl =
        "https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-termination";

    /// <summary>The DLQ added to runs-fleet's termination queue (docs/cutover.md), by name.</summary>
    public const string AdoptedTerminationDlqName = "runs-fleet-termination-dlq";

    public SynthesizedStack Default { get; }

    public SynthesizedStack WithCreatedJobsTable { get; }

    public SynthesizedStack WithStandardTerminationQueue { get; }

    /// <summary>
    /// Beside a running runs-fleet, as on the cutover's first deployment: its jobs and pools tables, termination queue
    /// (by URL) and DLQ (by name) adopted, the bridge not started yet.
    /// </summary>
    public SynthesizedStack BesideRunsFleet { get; }

    /// <summary>
    /// A stack that created its jobs table before runs-fleet's indexes were added, on the first step of its migration:
    /// the old index name kept, runs-fleet's two pool indexes left out (docs/cutover.md).
    /// </summary>
    public SynthesizedStack WithMigratingJobsTable { get; }

    /// <summary>The stack whose termination queue is of <paramref name="kind"/> (the default stack for FIFO).</summary>
    public SynthesizedStack WithTerminationQueue(TerminationQueueKind kind) =>
        kind == TerminationQueueKind.Fifo ? Default : WithStandardTerminationQueue;
}

/// <summary>
/// Every test class that creates CDK (jsii) objects belongs here: xunit runs a collection's classes one
/// after another, and the jsii runtime must not be initialized from two threads at once.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SynthesizedStacksCollection : ICollectionFixture<SynthesizedStacksFixture>
{
    public const string Name = "Synthesized runs-fleet stacks";
}
