using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Sweeps.Fleet;
using Temporalio.Activities;

namespace RunsFleet.Activities.Sweeps.Orphans;

/// <summary>
/// Activities of the OrphanSweep workflow: fix the plan, scan the fleet one
/// DescribeInstances page at a time, terminate a batch after re-checking its jobs,
/// publish the metric. Each returns a small, bounded result.
/// </summary>
public sealed class OrphanSweepActivities
{
    /// <summary>Metric name of the number of instances terminated by a run.</summary>
    public const string TerminatedMetric = "OrphanedInstancesTerminated";

    private readonly IAmazonEC2 _ec2;
    private readonly FleetInstanceReader _reader;
    private readonly ActiveJobFinder _jobs;
    private readonly ActiveJobIndexReader _activeJobs;
    private readonly ActiveJobSetCache _activeJobCache;
    private readonly SpotRequestCanceller _spot;
    private readonly InstanceTerminator _terminator;
    private readonly OrphanSweepOptions _options;
    private readonly IMetricsSink _metrics;
    private readonly ILogger<OrphanSweepActivities> _logger;

    public OrphanSweepActivities(
        IAmazonEC2 ec2,
        IAmazonDynamoDB dynamo,
        IOptions<OrphanSweepOptions> options,
        IOptions<JobsTableOptions> jobsTable,
        IMetricsSink metrics,
        ILogger<OrphanSweepActivities> logger,
        ActiveJobSetCache? activeJobCache = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(jobsTable);
        _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
        _reader = new FleetInstanceReader(ec2);
        _jobs = new ActiveJobFinder(dynamo, jobsTable.Value);
        _activeJobs = new ActiveJobIndexReader(dynamo, jobsTable.Value);
        _activeJobCache = activeJobCache ?? new ActiveJobSetCache(TimeProvider.System);
        _options = options.Value;
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _spot = new SpotRequestCanceller(ec2, logger);
        _terminator = new InstanceTerminator(ec2, logger);
    }

    /// <summary>
    /// Resolves the run's settings from the configuration and the input overrides and
    /// computes the cutoff from the workflow's "now". No AWS call.
    /// </summary>
    [Activity]
    public Task<OrphanSweepPlan> PlanOrphanSweepAsync(OrphanPlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var maxRuntime = request.MaxRuntimeMinutes ?? _options.MaxRuntimeMinutes;
        var cap = request.MaxTerminations ?? _options.MaxTerminations;
        var pagesPerRun = request.PagesPerRun ?? _options.PagesPerRun;
        Require(maxRuntime is >= 1 and <= 7 * 24 * 60, "max_runtime_minutes must be 1-10080");
        Require(cap is >= 0 and <= OrphanSweepOptions.MaxTerminationsLimit, "max_terminations must be 0-1000");
        Require(pagesPerRun >= 1, "pages per run must be at least 1");
        var plan = new OrphanSweepPlan(
            request.Now,
            OrphanPolicy.Cutoff(request.Now, maxRuntime, _options.BufferMinutes),
            maxRuntime,
            _options.BufferMinutes,
            cap,
            _options.PageSize,
            _options.TerminateBatchSize,
            pagesPerRun,
            _options.MaxListedInstances);
        _logger.LogInformation(
            "Orphan sweep plan: cutoff {Cutoff:o} (max runtime {MaxRuntime} min + {Buffer} min), cap {Cap}",
            plan.Cutoff, plan.MaxRuntimeMinutes, plan.BufferMinutes, plan.MaxTerminations);
        return Task.FromResult(plan);
    }

    /// <summary>
    /// Lists one page of managed pending/running instances and judges each: young and
    /// undated ones are counted, candidates are looked up in the jobs table.
    /// </summary>
    [Activity]
    public async Task<OrphanScanPage> ScanOrphanPageAsync(OrphanScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = CurrentActivity.CancellationToken;
        var page = await _reader.ReadPageAsync(
            [FleetInstanceReader.TagFilter(FleetTags.Managed, FleetTags.True), FleetInstanceReader.StateFilter("pending", "running")],
            request.NextToken,
            request.PageSize,
            ct);
        CurrentActivity.Heartbeat();

        // The active jobs are read once per sweep (cached on this worker, see ActiveJobSetCache)
        // and only when the page has a candidate; every lookup is then answered in memory.
        var active = page.Instances.Any(i => OrphanPolicy.NeedsJobLookup(i, request.Cutoff))
            ? await _activeJobCache.GetOrReadAsync(
                ActiveJobSetCache.KeyFor("orphans", request.Cutoff),
                () => _activeJobs.ReadAsync(CurrentActivity.HeartbeatCallback, ct),
                ct)
            : null;

        int young = 0, orphanCount = 0;
        var orphans = new List<OrphanCandidate>();
        var kept = new List<OrphanInstanceReport>();
        var keptCounts = OrphanKeptCounts.Zero;
        foreach (var instance in page.Instances)
        {
            var assessment = OrphanPolicy.Decide(instance, request.Cutoff, active?.Lookup(instance.InstanceId));
            switch (assessment.Verdict)
            {
                case OrphanVerdict.Young:
                    young++;
                    break;
                case OrphanVerdict.Orphan:
                    orphanCount++;
                    if (orphans.Count < request.OrphanIdLimit)
                    {
                        orphans.Add(new OrphanCandidate(instance.InstanceId, instance.LaunchTime, assessment.Reason));
                    }

                    break;
                default:
                    keptCounts = keptCounts.Count(assessment.Verdict);
                    if (kept.Count < request.ListLimit)
                    {
                        kept.Add(new OrphanInstanceReport(
                            instance.InstanceId, instance.LaunchTime, OrphanKeptCounts.DecisionOf(assessment.Verdict), assessment.Reason));
                    }

                    break;
            }
        }

        _logger.LogInformation(
            "Orphan scan page: {Scanned} instances, {Young} young, {Orphans} orphans, {Kept} kept ({LookupFailed} lookups failed), more pages: {More}",
            page.Instances.Count, young, orphanCount, keptCounts.Total, keptCounts.LookupFailed, page.NextToken is not null);
        return new OrphanScanPage(page.NextToken, page.Instances.Count, young, orphanCount, orphans, kept, keptCounts);
    }

    /// <summary>
    /// Terminates one batch of orphans. Right before, each is checked again: one
    /// DescribeInstances for the batch (gone or newly protected instances are kept out),
    /// then the jobs lookup (a warm instance may have been given a job since the scan; a
    /// failed lookup keeps it).
    /// Throttling fails the activity with a retryable failure so Temporal backs off;
    /// re-running the batch is safe (TerminateInstances is idempotent).
    /// </summary>
    [Activity]
    public async Task<OrphanTerminateResult> TerminateOrphansAsync(OrphanTerminateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = CurrentActivity.CancellationToken;
        var outcomes = new List<OrphanInstanceReport>();
        var current = await DescribeCurrentAsync(request.Orphans, ct);
        var stillThere = new List<OrphanCandidate>();
        foreach (var orphan in request.Orphans)
        {
            // An operator may have protected it, or it may have gone, since the scan.
            switch (current.GetValueOrDefault(orphan.InstanceId))
            {
                case null:
                    outcomes.Add(new OrphanInstanceReport(orphan.InstanceId, orphan.LaunchTime, OrphanDecision.Gone, "no longer pending or running at the re-check"));
                    break;
                case { IsProtected: true }:
                    outcomes.Add(new OrphanInstanceReport(orphan.InstanceId, orphan.LaunchTime, OrphanDecision.Protected, "tagged runs-fleet:protected=true since the scan"));
                    break;
                default:
                    stillThere.Add(orphan);
                    break;
            }
        }

        var lookups = await _jobs.FindManyAsync(
            stillThere.Select(o => o.InstanceId).ToList(), _options.LookupConcurrency, CurrentActivity.HeartbeatCallback, ct);
        var toTerminate = new List<OrphanCandidate>();
        foreach (var orphan in stillThere)
        {
            var lookup = lookups.GetValueOrDefault(orphan.InstanceId) ?? JobLookup.Failure("no jobs lookup was made");
            switch (lookup.Outcome)
            {
                case JobLookupOutcome.NoActiveJob:
                    toTerminate.Add(orphan);
                    break;
                case JobLookupOutcome.ActiveJob:
                    outcomes.Add(new OrphanInstanceReport(
                        orphan.InstanceId,
                        orphan.LaunchTime,
                        OrphanDecision.ActiveJob,
                        "assigned a job since the scan" + (lookup.JobId is { } id ? $" (job {id.ToString(CultureInfo.InvariantCulture)})" : string.Empty)));
                    break;
                default:
                    outcomes.Add(new OrphanInstanceReport(
                        orphan.InstanceId, orphan.LaunchTime, OrphanDecision.LookupFailed, "re-check before terminating: " + lookup.Reason));
                    break;
            }
        }

        if (toTerminate.Count > 0)
        {
            // Spot requests first: a persistent one would otherwise launch the instance again.
            await _spot.CancelAsync(toTerminate.Select(o => current[o.InstanceId].SpotRequestId).OfType<string>().ToList(), ct);
            var (accepted, gone) = await _terminator.TerminateAsync(toTerminate.Select(o => o.InstanceId).ToList(), ct);
            foreach (var orphan in toTerminate)
            {
                outcomes.Add(
                    accepted.Contains(orphan.InstanceId) ? new OrphanInstanceReport(orphan.InstanceId, orphan.LaunchTime, OrphanDecision.Terminated, orphan.Reason)
                    : gone.Contains(orphan.InstanceId) ? new OrphanInstanceReport(orphan.InstanceId, orphan.LaunchTime, OrphanDecision.Gone, "EC2 no longer knows this instance (InvalidInstanceID.NotFound)")
                    : new OrphanInstanceReport(orphan.InstanceId, orphan.LaunchTime, OrphanDecision.TerminateFailed, "missing from the TerminateInstances answer"));
            }

            _logger.LogWarning(
                "Terminated {Count} orphaned instances: {InstanceIds}", accepted.Count, string.Join(",", accepted.Order(StringComparer.Ordinal)));
        }

        return new OrphanTerminateResult(outcomes);
    }

    // One DescribeInstances per 200 ids of the batch (the most one filter takes): an instance-id
    // filter (unlike InstanceIds) does not fail on unknown ids, and the state filter drops those
    // already on their way out.
    private async Task<Dictionary<string, FleetInstance>> DescribeCurrentAsync(IReadOnlyList<OrphanCandidate> orphans, CancellationToken ct)
    {
        var found = new Dictionary<string, FleetInstance>(StringComparer.Ordinal);
        foreach (var chunk in orphans.Select(o => o.InstanceId).Distinct(StringComparer.Ordinal).Chunk(Ec2Limits.MaxFilterValues))
        {
            string? token = null;
            do
            {
                var page = await _reader.ReadPageAsync(
                    [new Filter("instance-id", [.. chunk]), FleetInstanceReader.StateFilter("pending", "running")],
                    token,
                    FleetInstanceReader.MaxPageSize,
                    ct);
                foreach (var instance in page.Instances)
                {
                    found[instance.InstanceId] = instance;
                }

                token = page.NextToken;
            }
            while (token is not null);
        }

        return found;
    }

    /// <summary>Publishes OrphanedInstancesTerminated for the run (0 included, so dashboards see every run).</summary>
    [Activity]
    public async Task<int> PublishOrphanMetricsAsync(int terminated) =>
        await _metrics.PublishAsync([MetricDatum.Plain(TerminatedMetric, terminated, "Count")], CurrentActivity.CancellationToken);

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw FailureTypes.Invalid(message);
        }
    }
}
