using RunsFleet.Activities.Jobs;

namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>
/// The fewest requests each sweep can make for the seeded data, by "Service Operation", from
/// the AWS limits and the sweep's deliberate settings (named where used). Pure functions of the
/// data's counts, so the benchmark's ratio is actual / these.
/// </summary>
internal static class RequestMinimums
{
    /// <summary>Largest DescribeInstances page (MaxResults 5-1000).</summary>
    public const int DescribeInstancesPage = 1000;

    /// <summary>Values one EC2 filter accepts (instance-id lists).</summary>
    public const int Ec2FilterValues = 200;

    /// <summary>Largest DescribeVolumes page (MaxResults 5-500).</summary>
    public const int DescribeVolumesPage = 500;

    /// <summary>Largest DescribeParameters page (GetParametersByPath serves only 10).</summary>
    public const int DescribeParametersPage = 50;

    /// <summary>Names one DeleteParameters call accepts.</summary>
    public const int DeleteParametersNames = 10;

    /// <summary>Write requests one BatchWriteItem accepts.</summary>
    public const int BatchWriteItemRequests = 25;

    /// <summary>Bytes one Query page returns at most (DynamoDB's 1 MB limit).</summary>
    public const int QueryPageBytes = 1024 * 1024;

    /// <summary>
    /// Fewest bytes of one status-created_at-index item (DynamoDB item size: attribute names plus
    /// values): job_id (a number, at least 1 byte), status, created_at (a 20-character timestamp at
    /// least), instance_id (i- and 17 hex digits). A lower bound, so the pages it gives are a minimum.
    /// </summary>
    public static int ActiveJobItemBytes(string status) =>
        "job_id".Length + 1 + "status".Length + status.Length + "created_at".Length + 20 + "instance_id".Length + 19;

    public const string DescribeInstances = "EC2 DescribeInstances";
    public const string DescribeVolumes = "EC2 DescribeVolumes";
    public const string TerminateInstances = "EC2 TerminateInstances";
    public const string DescribeParameters = "SSM DescribeParameters";
    public const string DeleteParameters = "SSM DeleteParameters";
    public const string Query = "DynamoDB Query";
    public const string Scan = "DynamoDB Scan";
    public const string BatchWriteItem = "DynamoDB BatchWriteItem";
    public const string BatchGetItem = "DynamoDB BatchGetItem";

    /// <summary>Keys one BatchGetItem accepts.</summary>
    public const int BatchGetItemKeys = 100;
    public const string PutObject = "S3 PutObject";
    public const string UpdateItem = "DynamoDB UpdateItem";

    /// <summary>Runner parameters per instance (config and credential).</summary>
    public const int ParametersPerInstance = 2;

    /// <summary>
    /// OrphanSweep: list the managed pending/running instances, then the Packer builders (phase f,
    /// one page here); read the active jobs once; then per terminate batch (its size is a pacing
    /// setting) one re-check DescribeInstances, one BatchGetItem of instance claims per 100 orphans
    /// and one TerminateInstances, and one instance-id-index Query per orphan (the re-check just
    /// before terminating, which stays by design).
    /// </summary>
    public static Dictionary<string, long> OrphanSweep(
        long listedInstances, IReadOnlyDictionary<string, long> activeJobsByStatus, long orphans, int terminateBatchSize)
    {
        var batches = Batches(orphans, Math.Min(terminateBatchSize, Ec2FilterValues));
        return new(StringComparer.Ordinal)
        {
            // Listing pages of 1000, at least one request even for an empty fleet.
            [DescribeInstances] = ListingPages(listedInstances, DescribeInstancesPage) + 1 + batches,
            [TerminateInstances] = Batches(orphans, terminateBatchSize),
            [BatchGetItem] = ClaimReads(orphans, terminateBatchSize),
            // One status-created_at-index read per non-terminal status, plus the per-orphan re-check.
            [Query] = ActiveJobPages(activeJobsByStatus) + orphans,
        };
    }

    // Each terminate batch reads its claims on its own, 100 keys per call.
    private static long ClaimReads(long orphans, int terminateBatchSize)
    {
        var batch = Math.Max(1, terminateBatchSize);
        var full = orphans / batch;
        var rest = orphans % batch;
        return (full * Batches(batch, BatchGetItemKeys)) + Batches(rest, BatchGetItemKeys);
    }

    /// <summary>
    /// StaleSsmSweep: list every runner parameter; look up the instances of those past the
    /// grace period 200 ids per DescribeInstances; delete the stale ones 10 names per call.
    /// </summary>
    public static Dictionary<string, long> StaleSsmSweep(long parameters, long instancesToLookUp, long staleParameters) =>
        new(StringComparer.Ordinal)
        {
            [DescribeParameters] = ListingPages(parameters, DescribeParametersPage),
            [DescribeInstances] = Batches(instancesToLookUp, Ec2FilterValues),
            [DeleteParameters] = Batches(staleParameters, DeleteParametersNames),
        };

    /// <summary>
    /// OldJobArchival, per terminal status: Query pages of the configured page size (the
    /// archive object unit) on completed_at-index, one PutObject per non-empty page, and
    /// BatchWriteItem 25 at a time within a page (a record is deleted only after its page's
    /// archive object is written, so batches do not span pages).
    /// </summary>
    public static Dictionary<string, long> OldJobArchival(IReadOnlyDictionary<string, long> oldRecordsByStatus, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(oldRecordsByStatus);
        return new(StringComparer.Ordinal)
        {
            [Query] = oldRecordsByStatus.Values.Sum(n => LimitedQueryPages(n, pageSize)),
            [PutObject] = oldRecordsByStatus.Values.Sum(n => Batches(n, pageSize)),
            [BatchWriteItem] = oldRecordsByStatus.Values.Sum(n => PageBatches(n, pageSize, BatchWriteItemRequests)),
        };
    }

    /// <summary>
    /// PoolAudit: Scan every row of the pools table (runs-fleet's reserved rows too: a Scan cannot
    /// skip them) in pages of the configured size; list the pool instances (running and stopped)
    /// 1000 per page; read the active jobs once; find the volumes of the stopped instances of known
    /// pools by naming them, at most 200 per call (the filter limit) and 500 volumes per answer
    /// (none without a stopped instance); write the report's two objects (the JSON rows and the
    /// markdown).
    /// </summary>
    public static Dictionary<string, long> PoolAudit(
        long poolRows,
        int poolsPageSize,
        long poolInstances,
        long stoppedInstances,
        long stoppedVolumes,
        IReadOnlyDictionary<string, long> activeJobsByStatus) =>
        new(StringComparer.Ordinal)
        {
            [Scan] = LimitedQueryPages(poolRows, poolsPageSize),
            [DescribeInstances] = ListingPages(poolInstances, DescribeInstancesPage),
            [Query] = ActiveJobPages(activeJobsByStatus),
            [DescribeVolumes] = Math.Max(Batches(stoppedInstances, Ec2FilterValues), Batches(stoppedVolumes, DescribeVolumesPage)),
            [PutObject] = 2,
        };

    /// <summary>
    /// OrphanedJobSweep: read every orphanable status partition of status-created_at-index (1 MB
    /// pages; terminating is never read); read requeued_at of the requeued jobs created before the
    /// threshold, 100 per BatchGetItem (the index does not project it; all of the seed's are);
    /// look every job's instance up, 200 ids per DescribeInstances within a partition (a page
    /// judges one status); retire each orphaned job with its own conditional UpdateItem (a
    /// condition per item: TransactWriteItems would fail the batch on one changed job); delete
    /// the gone instances' runner parameters 10 names per call within a mark batch (its size is a
    /// pacing setting).
    /// </summary>
    public static Dictionary<string, long> OrphanedJobSweep(IReadOnlyDictionary<string, long> jobsByStatus, long orphans, int markBatchSize)
    {
        ArgumentNullException.ThrowIfNull(jobsByStatus);
        return new(StringComparer.Ordinal)
        {
            [Query] = ActiveJobPages(jobsByStatus, RunsFleet.Activities.Sweeps.OrphanedJobs.OrphanedJobRules.OrphanableStatuses),
            [BatchGetItem] = Batches(jobsByStatus.GetValueOrDefault(JobRecord.Requeued), BatchGetItemKeys),
            [DescribeInstances] = jobsByStatus.Values.Sum(n => Batches(n, Ec2FilterValues)),
            [UpdateItem] = orphans,
            [DeleteParameters] = PageBatches(orphans * ParametersPerInstance, markBatchSize * ParametersPerInstance, DeleteParametersNames),
        };
    }

    /// <summary>
    /// Every operation whose requests differ from its minimum, as "operation: N requests, minimum M",
    /// in operation order; one the minimum does not name has a minimum of 0. Fewer than the minimum
    /// is a difference too: the formula (or the seed) no longer describes the sweep.
    /// </summary>
    public static List<string> Differences(IReadOnlyDictionary<string, long> minimum, IReadOnlyDictionary<string, long> requests)
    {
        ArgumentNullException.ThrowIfNull(minimum);
        ArgumentNullException.ThrowIfNull(requests);
        return minimum.Keys.Union(requests.Keys).Order(StringComparer.Ordinal)
            .Where(op => minimum.GetValueOrDefault(op) != requests.GetValueOrDefault(op))
            .Select(op => $"{op}: {requests.GetValueOrDefault(op)} requests, minimum {minimum.GetValueOrDefault(op)}")
            .ToList();
    }

    // A listing answers in pages of up to perPage and needs one request even when empty.
    private static long ListingPages(long items, int perPage) => Math.Max(1, Batches(items, perPage));

    // Requests of up to perRequest items each; none for no items.
    private static long Batches(long items, int perRequest) => (items + perRequest - 1) / perRequest;

    // A DynamoDB Query or Scan with Limit returns a LastEvaluatedKey after every full page, even
    // the last one, so n items cost n / limit + 1 requests.
    private static long LimitedQueryPages(long items, int limit) => (items / limit) + 1;

    // Batches of perRequest inside pages of pageSize items.
    private static long PageBatches(long items, int pageSize, int perRequest) =>
        ((items / pageSize) * Batches(pageSize, perRequest)) + Batches(items % pageSize, perRequest);

    // One status-created_at-index Query per status read (every one, empty or not), paged at 1 MB.
    private static long ActiveJobPages(IReadOnlyDictionary<string, long> activeJobsByStatus, IReadOnlyList<string>? statuses = null)
    {
        ArgumentNullException.ThrowIfNull(activeJobsByStatus);
        return (statuses ?? JobRecord.ActiveStatuses).Sum(
            status => ListingPages(activeJobsByStatus.GetValueOrDefault(status) * ActiveJobItemBytes(status), QueryPageBytes));
    }
}
