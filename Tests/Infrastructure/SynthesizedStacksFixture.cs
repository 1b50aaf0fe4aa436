using RunsFleet.Infrastructure;
using RunsFleet.Infrastructure.Messaging;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// Synthesizes the stack variants once for every test class of the collection (synthesis costs seconds):
/// the default (FIFO termination queue, jobs table imported, Temporal Cloud API key from Secrets Manager, no
/// runner instance profile), one that creates the jobs table, connects without TLS or API key and names the
/// runner instance profile (<see cref="RunnerInstanceProfileArn"/>) and runs-fleet's job queue
/// (<see cref="JobQueueUrl"/>), and one that differs from the default only
/// in its standard termination queue.
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
    }

    public SynthesizedStack Default { get; }

    public SynthesizedStack WithCreatedJobsTable { get; }

    public SynthesizedStack WithStandardTerminationQueue { get; }

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
