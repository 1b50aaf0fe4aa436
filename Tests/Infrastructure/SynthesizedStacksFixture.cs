using RunsFleet.Infrastructure;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// Synthesizes the two stack variants once for every test class of the collection (synthesis costs seconds):
/// the default (jobs table imported, Temporal Cloud API key from Secrets Manager) and one that creates the jobs
/// table and connects without TLS or API key.
/// </summary>
public sealed class SynthesizedStacksFixture
{
    public SynthesizedStacksFixture()
    {
        Default = SynthesizedStack.Synthesize();
        WithCreatedJobsTable = SynthesizedStack.Synthesize(new Dictionary<string, object>
        {
            [RunsFleetSettings.Keys.CreateJobsTable] = true,
            [RunsFleetSettings.Keys.TemporalApiKeySecret] = string.Empty,
            [RunsFleetSettings.Keys.TemporalTls] = "false",
            [RunsFleetSettings.Keys.AlarmTopicArn] = "arn:aws:sns:eu-west-1:123456789012:runs-fleet-alarms",
        });
    }

    public SynthesizedStack Default { get; }

    public SynthesizedStack WithCreatedJobsTable { get; }
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
