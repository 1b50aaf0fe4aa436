using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>Reads the non-terminal jobs once through the jobs table's status index (partition key
/// status, sort key created_at, projecting instance_id): one Query per active status and
/// 1 MB page, so the cost follows the active jobs, not the fleet. Records in a status
/// this list does not know, or without a status, are not in the index's answer; the
/// per-candidate re-check through instance-id-index before terminating still sees them.</summary>
/// <param name="table">The jobs table the reader reads.</param>
internal sealed class ActiveJobIndexReader(IAmazonDynamoDB dynamo, JobsTableOptions table)
{
    /// <summary>The partitions read: <see cref="JobRecord.ActiveStatuses"/>.</summary>
    public static IReadOnlyList<string> ActiveStatuses => JobRecord.ActiveStatuses;

    // A guard against a runaway read: far above any fleet's active jobs.
    private const int MaxPagesPerStatus = 1000;

    private readonly IAmazonDynamoDB _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
    private readonly JobsTableOptions _table = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>Reads every active job. Never throws for an AWS failure: the set comes back failed
    /// with the reason, and every lookup in it fails (fail closed). The exception: a missing
    /// index fails the activity as IndexMissing with its fix (JobsIndexQuery), since no later
    /// read can succeed.</summary>
    public async Task<ActiveJobSet> ReadAsync(Action? onPage, CancellationToken cancellationToken)
    {
        var jobs = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var status in ActiveStatuses)
        {
            Dictionary<string, AttributeValue>? startKey = null;
            var pages = 0;
            do
            {
                if (++pages > MaxPagesPerStatus)
                {
                    return ActiveJobSet.Failed($"active jobs read stopped: more than {MaxPagesPerStatus} pages of "
                        + $"'{status}' jobs");
                }

                var (response, failure) = await AwsCall.TryReadAsync(() => JobsIndexQuery.RunAsync(_dynamo, _table,
                    Page(status, startKey), cancellationToken), cancellationToken);
                if (response is null)
                {
                    return ActiveJobSet.Failed($"active jobs read failed: {failure}");
                }

                foreach (var item in response.Items ?? [])
                {
                    Add(jobs, item);
                }

                onPage?.Invoke();
                startKey = InstanceJobQuery.NextKey(response);
            }
            while (startKey is not null);
        }

        return ActiveJobSet.Of(jobs);
    }

    private QueryRequest Page(string status, Dictionary<string, AttributeValue>? startKey) => JobsIndexQuery.Page(
        _table,
        _table.ActiveJobsIndex,
        "#status = :status",
        "#job_id, #instance_id",
        new() { [":status"] = new AttributeValue { S = status } },
        startKey);

    // A claiming lease has no instance yet: it holds no instance.
    private static void Add(Dictionary<string, long?> jobs, Dictionary<string, AttributeValue> item)
    {
        if (JobAttributes.Text(item, JobRecord.InstanceId) is { } instanceId)
        {
            jobs.TryAdd(instanceId, JobAttributes.Number(item, JobRecord.JobId));
        }
    }
}
