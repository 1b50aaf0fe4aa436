using Amazon.CDK;
using RunsFleet.Infrastructure;
using RunsFleet.Infrastructure.Data;
using RunsFleet.Infrastructure.Messaging;
using Keys = RunsFleet.Infrastructure.RunsFleetSettings.Keys;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// The settings that adopt or create runs-fleet's tables and termination queue and name the jobs table's indexes:
/// what each accepts, and that a bad value stops the synthesis naming its key and value.
/// </summary>
[Collection(SynthesizedStacksCollection.Name)]
public class AdoptionSettingsTests
{
    private const string SqsUrl = "https://sqs.<region>.amazonaws.com";
    private const string AdoptedQueue = Keys.ExistingTerminationQueue + "=runs-fleet-termination";
    private const string CreateJobsTable = Keys.CreateJobsTable + "=true";

    public static TheoryData<string, string, string, string> BadValues => new()
    {
        // key, value, other context as "key=value" (or ""), a words of the message
        { Keys.CreatePoolsTable, "yes", "", "true or false" },
        { Keys.CreateJobsTable, "1", "", "true or false" },
        { Keys.TemporalTls, "off", "", "true or false" },
        { Keys.JobsTableName, "jobs table", "", "DynamoDB table name" },
        { Keys.PoolsTableName, "p", "", "DynamoDB table name" },
        { Keys.JobsInstanceIdIndex, "instance/id", "", "DynamoDB index name" },
        { Keys.JobsCompletedAtIndex, "pool-status-index", "", "runs-fleet's index keyed by pool" },
        { Keys.JobsStatusCreatedAtIndex, "instance-id-index", "", Keys.JobsInstanceIdIndex },
        { Keys.OmitJobsTableIndexes, "pool-status-index", "", Keys.CreateJobsTable },
        { Keys.OmitJobsTableIndexes, "status-created_at-index", CreateJobsTable, "pool-created-at-index | pool-status" },
        { Keys.ExistingTerminationQueue, "arn:aws:sqs:eu-west-1:123456789012:runs-fleet-termination", "", SqsUrl },
        { Keys.ExistingTerminationQueue, "https://example.com/123456789012/runs-fleet-termination", "", SqsUrl },
        { Keys.ExistingTerminationQueue, "runs fleet termination", "", "1-80 of A-Z a-z 0-9 - _" },
        { Keys.ExistingTerminationQueue, new string('q', 81), "", "1-80" },
        { Keys.ExistingTerminationQueue, AdoptedUrl("bad.name"), "", "not a queue name" },
        { Keys.ExistingTerminationDeadLetterQueue, "runs-fleet-termination-dlq", "", Keys.ExistingTerminationQueue },
        { Keys.TerminationQueueKind, "fifo", AdoptedQueue, "standard or unset" },
        { Keys.ExistingTerminationDeadLetterQueue, "termination-dlq.fifo", AdoptedQueue, "a standard queue" },
        { Keys.BridgeDesiredCount, "2", "", "0 (bridge stopped) or 1" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_stops_synthesis_naming_the_key_and_the_value(
        string key, string value, string other, string expected)
    {
        var context = new Dictionary<string, object> { [key] = value };
        if (other.Split('=', 2) is [var otherKey, var otherValue])
        {
            context[otherKey] = otherValue;
        }

        var error = Assert.Throws<InvalidOperationException>(() => SynthesizedStack.Synthesize(context));

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_adoption_settings_both_tables_are_adopted_by_runs_fleets_names_and_the_queue_created()
    {
        var settings = Read([]);

        Assert.False(settings.CreateJobsTable);
        Assert.False(settings.CreatePoolsTable);
        Assert.Equal(("runs-fleet-jobs", "runs-fleet-pools"), (settings.JobsTableName, settings.PoolsTableName));
        Assert.Equal(JobsTableIndexes.Defaults, settings.JobsIndexes);
        Assert.Empty(settings.OmittedJobsTableIndexes);
        Assert.Null(settings.ExistingTerminationQueue);
        Assert.Equal(TerminationQueueKind.Fifo, settings.TerminationQueueKind);
        Assert.Equal(1, settings.BridgeDesiredCount);
    }

    [Fact]
    public void Settings_read_flags_in_any_case_or_as_json_booleans_index_names_and_the_omitted_pool_indexes()
    {
        var settings = Read(new()
        {
            [Keys.CreateJobsTable] = true,
            [Keys.CreatePoolsTable] = "TRUE",
            [Keys.TemporalTls] = false,
            [Keys.JobsInstanceIdIndex] = "instance_id-index",
            [Keys.JobsCompletedAtIndex] = "done-index",
            [Keys.JobsStatusCreatedAtIndex] = "active-index",
            [Keys.OmitJobsTableIndexes] = " pool-status-index,pool-created-at-index,pool-status-index ",
        });

        Assert.True(settings.CreateJobsTable);
        Assert.True(settings.CreatePoolsTable);
        Assert.False(settings.TemporalTls);
        Assert.Equal(new JobsTableIndexes("instance_id-index", "done-index", "active-index"), settings.JobsIndexes);
        Assert.Equal(["pool-status-index", "pool-created-at-index"], settings.OmittedJobsTableIndexes);
    }

    [Theory]
    [InlineData("runs-fleet-termination", TerminationQueueKind.Standard, null)]
    [InlineData("runs-fleet-termination.fifo", TerminationQueueKind.Fifo, null)]
    [InlineData("https://sqs.us-gov-west-1.amazonaws.com/123456789012/term", TerminationQueueKind.Standard, "us-gov-west-1")]
    [InlineData("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/t.fifo", TerminationQueueKind.Fifo, "cn-north-1")]
    public void An_adopted_termination_queue_gives_the_kind_by_its_name_and_keeps_the_urls_region(
        string value, TerminationQueueKind kind, string? region)
    {
        var settings = Read(new() { [Keys.ExistingTerminationQueue] = value });

        Assert.Equal(kind, settings.TerminationQueueKind);
        Assert.Equal(region, settings.ExistingTerminationQueue!.Region);
        Assert.Equal(region is null ? null : value, settings.ExistingTerminationQueue.Url);
        Assert.Equal(region is null ? null : "123456789012", settings.ExistingTerminationQueue.Account);
    }

    [Fact]
    public void A_matching_kind_and_a_dlq_of_the_same_kind_are_accepted_with_the_adopted_queue()
    {
        var settings = Read(new()
        {
            [Keys.ExistingTerminationQueue] = "runs-fleet-termination",
            [Keys.TerminationQueueKind] = "Standard",
            [Keys.ExistingTerminationDeadLetterQueue] = AdoptedUrl("runs-fleet-termination-dlq"),
        });

        Assert.Equal(TerminationQueueKind.Standard, settings.TerminationQueueKind);
        Assert.Equal("runs-fleet-termination-dlq", settings.ExistingTerminationDeadLetterQueue!.Name);
    }

    private static string AdoptedUrl(string name) => "https://sqs.eu-west-1.amazonaws.com/123456789012/" + name;

    private static RunsFleetSettings Read(Dictionary<string, object> context)
    {
        context[Keys.TemporalAddress] = "t:7233";
        return RunsFleetSettings.FromContext(new App(new AppProps { Context = context }).Node);
    }
}
