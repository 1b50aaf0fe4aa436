using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>Finds whether an instance runs a job, through the jobs table's instance-id-index. It
/// never throws for a single instance: a failed or untrustworthy answer comes back as
/// <see cref="JobLookupOutcome.Failed"/> with the reason, so sweeps keep that instance
/// (fail closed) and still finish the rest of the page. Only a missing index throws
/// (IndexMissing with its fix, JobsIndexQuery): it would fail every instance alike.</summary>
/// <param name="table">The jobs table the finder reads.</param>
internal sealed class ActiveJobFinder(IAmazonDynamoDB dynamo, JobsTableOptions table)
{
    // A warm instance runs many jobs over its life; more pages than this for one id means
    // something is wrong with the data, and we would rather keep the instance.
    private const int MaxPagesPerInstance = 20;

    private readonly IAmazonDynamoDB _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
    private readonly JobsTableOptions _table = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>Looks up <paramref name="instanceId"/>; one Query per page of its job records.</summary>
    public async Task<JobLookup> FindAsync(string instanceId, CancellationToken cancellationToken) =>
        (await ReadHistoryAsync(instanceId, cancellationToken)).Lookup;

    /// <summary>Reads the job records of <paramref name="instanceId"/> until the first active one;
    /// one Query per page. A failure or an untrustworthy answer comes back as a failed history.</summary>
    public async Task<JobHistory> ReadHistoryAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var completions = new List<DateTimeOffset?>();
        var records = 0;
        Dictionary<string, AttributeValue>? startKey = null;
        for (var page = 0; page < MaxPagesPerInstance; page++)
        {
            var (response, failure) = await AwsCall.TryReadAsync(() => JobsIndexQuery.RunAsync(_dynamo, _table,
                InstanceJobQuery.Page(_table, instanceId, startKey), cancellationToken), cancellationToken);
            if (response is null)
            {
                return JobHistory.Failed($"jobs lookup failed: {failure}");
            }

            foreach (var item in response.Items ?? [])
            {
                records++;
                var verdict = Judge(item);
                if (verdict is not null)
                {
                    return new JobHistory(verdict, records, completions);
                }

                completions.Add(InstanceJobQuery.ReadCompletedAt(item));
            }

            startKey = InstanceJobQuery.NextKey(response);
            if (startKey is null)
            {
                return new JobHistory(JobLookup.None, records, completions);
            }
        }

        return JobHistory.Failed($"jobs lookup ambiguous: more than {MaxPagesPerInstance} pages of job records");
    }

    /// <summary>Looks up every id with at most <paramref name="concurrency"/> queries in flight;
    /// <paramref name="onEach"/> runs after each answer (activities heartbeat there).</summary>
    public async Task<IReadOnlyDictionary<string, JobLookup>> FindManyAsync(
        IReadOnlyCollection<string> instanceIds, int concurrency, Action? onEach,
            CancellationToken cancellationToken) =>
        (await ReadHistoriesAsync(instanceIds, concurrency, onEach, cancellationToken))
            .ToDictionary(h => h.Key, h => h.Value.Lookup, StringComparer.Ordinal);

    /// <summary>Reads the history of every id with at most <paramref name="concurrency"/> queries in
    /// flight; <paramref name="onEach"/> runs after each answer.</summary>
    public async Task<IReadOnlyDictionary<string, JobHistory>> ReadHistoriesAsync(
        IReadOnlyCollection<string> instanceIds, int concurrency, Action? onEach, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string,
            JobHistory>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            instanceIds.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency),
                CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                results[id] = await ReadHistoryAsync(id, ct);
                onEach?.Invoke();
            });
        return results;
    }

    // Null means "this record is finished"; anything else decides the lookup.
    private static JobLookup? Judge(Dictionary<string, AttributeValue> item)
    {
        var (jobId, status) = InstanceJobQuery.Read(item);
        if (status is null)
        {
            // A record without a status cannot be called finished: keep the instance.
            return JobLookup.Failure($"jobs lookup ambiguous: job "
                + $"{jobId?.ToString(CultureInfo.InvariantCulture) ?? "?"} has no status");
        }

        // Orphaned, and any status this code does not know, hold the instance (runs-fleet keeps
        // orphaned out of IsTerminal so a transient fault never gets a live instance reaped).
        return JobRecord.HoldsInstance(status) ? JobLookup.Active(jobId, status) : null;
    }
}
