using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Sweeps.Fleet;
using Temporalio.Activities;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>Activities of the OrphanSweep workflow: fix the plan, scan the fleet one
/// DescribeInstances page at a time, terminate a batch after re-checking its jobs,
/// publish the metric. Each returns a small, bounded result.</summary>
public sealed class StrayInstanceSweepActivities
{
    /// <summary>Metric name of the number of instances terminated by a run.</summary>
    public static readonly string TerminatedMetric = SweepDefinition.Of(SweepKind.StrayInstances).Metric!;

    /// <summary>Dimension of the per-phase <see cref="TerminatedMetric"/> data.</summary>
    public const string PhaseDimension = "Phase";

    // The runner-profile listing takes every state an orphan can be terminated from.
    private static readonly string[] ReCheckStates = StrayInstanceBatchTerminator.ReCheckStates;

    private readonly IAmazonEC2 _ec2;
    private readonly FleetInstanceReader _reader;
    private readonly ActiveJobFinder _jobs;
    private readonly ActiveJobIndexReader _activeJobs;
    private readonly ActiveJobSetCache _activeJobCache;
    private readonly SpotRequestCanceller _spot;
    private readonly InstanceTerminator _terminator;
    private readonly InstanceClaimReader _claims;
    private readonly StrayInstanceSweepOptions _options;
    private readonly IMetricsSink _metrics;
    private readonly ILogger<StrayInstanceSweepActivities> _logger;

    public StrayInstanceSweepActivities(
        IAmazonEC2 ec2,
        IAmazonDynamoDB dynamo,
        IOptions<StrayInstanceSweepOptions> options,
        IOptions<JobsTableOptions> jobsTable,
        IMetricsSink metrics,
        ILogger<StrayInstanceSweepActivities> logger,
        ActiveJobSetCache? activeJobCache = null,
        TimeProvider? clock = null)
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
        _claims = new InstanceClaimReader(dynamo, _options.PoolsTableName, clock ?? TimeProvider.System);
    }

    /// <summary>Resolves the run's settings from the configuration and the input overrides and
    /// computes the cutoff from the workflow's "now". No AWS call. An override that would make
    /// the run less careful than configured fails it (<see cref="SweepOverrides"/>).</summary>
    [Activity("PlanOrphanSweep")]
    public Task<StrayInstanceSweepPlan> PlanStrayInstanceSweepAsync(StrayInstancePlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A trigger may only make the sweep more careful: a longer runtime, a lower cap.
        var maxRuntime = SweepOverrides.Threshold(
            request.MaxRuntimeMinutes, _options.MaxRuntimeMinutes, "max_runtime_minutes",
                "RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES");
        var cap = SweepOverrides.Cap(
            request.MaxTerminations, _options.MaxTerminations, "max_terminations",
                "RUNS_FLEET_STRAY_INSTANCES_MAX_TERMINATIONS");
        var pagesPerRun = request.PagesPerRun ?? _options.PagesPerRun;
        Require(maxRuntime is >= 1 and <= 7 * 24 * 60, "max_runtime_minutes must be 1-10080");
        Require(cap is >= 0 and <= StrayInstanceSweepOptions.MaxTerminationsLimit, "max_terminations must be 0-1000");
        Require(pagesPerRun >= 1, "pages per run must be at least 1");
        var plan = new StrayInstanceSweepPlan
        {
            Now = request.Now,
            Cutoff = StrayInstancePolicy.Cutoff(request.Now, maxRuntime, _options.BufferMinutes),
            MaxRuntimeMinutes = maxRuntime,
            BufferMinutes = _options.BufferMinutes,
            MaxTerminations = cap,
            PageSize = _options.PageSize,
            TerminateBatchSize = _options.TerminateBatchSize,
            PagesPerRun = pagesPerRun,
            MaxListedInstances = _options.MaxListedInstances,
            Phases = _options.PhaseCutoffs(request.Now),
        };
        _logger.LogInformation(
            "Orphan sweep plan: cutoff {Cutoff:o} (max runtime {MaxRuntime} min + {Buffer} min), cap {Cap}, phases "
                + "{Phases}",
            plan.Cutoff, plan.MaxRuntimeMinutes, plan.BufferMinutes, plan.MaxTerminations, plan.Phases);
        return Task.FromResult(plan);
    }

    /// <summary>Lists one page of the request's listing (managed instances, or the runner profile's)
    /// and runs the enabled phases over each: young and undated ones are counted, the
    /// active-job set is read once per sweep when a page has a candidate, and the job
    /// history (instance-id-index) is read only for the candidates of phases c and d.</summary>
    [Activity("ScanOrphanPage")]
    public async Task<StrayInstanceScanPage> ScanStrayInstancePageAsync(StrayInstanceScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = CurrentActivity.CancellationToken;
        var page = await _reader.ReadPageAsync(ListingFilters(request), request.NextToken, request.PageSize, ct);
        CurrentActivity.Heartbeat();

        // The active jobs are read once per sweep (cached on this worker, see ActiveJobSetCache)
        // and only when the page has a candidate; every lookup is then answered in memory.
        var active = page.Instances.Any(i => StrayInstanceScanJudge.NeedsActiveJobs(i, request))
            ? await _activeJobCache.GetOrReadAsync(
                ActiveJobSetCache.KeyFor(SweepKind.StrayInstances, request.Cutoff),
                () => _activeJobs.ReadAsync(CurrentActivity.HeartbeatCallback, ct),
                ct)
            : null;
        var histories = await _jobs.ReadHistoriesAsync(
            page.Instances.Where(i => StrayInstanceScanJudge.NeedsHistory(i, request,
                active?.Lookup(i.InstanceId))).Select(i => i.InstanceId).ToList(),
            _options.LookupConcurrency,
            CurrentActivity.HeartbeatCallback,
            ct);

        // Phase b's last source of evidence, for the untagged candidates no job record names: 100 per BatchGetItem.
        var claims = await _claims.ReadAsync(
            page.Instances
                .Where(i => StrayInstanceScanJudge.NeedsClaim(
                    i, request, active?.Lookup(i.InstanceId), histories.GetValueOrDefault(i.InstanceId)))
                .Select(i => i.InstanceId)
                .ToList(),
            ct);

        var tally = new StrayInstancePageTally(request.OrphanIdLimit, request.ListLimit);
        foreach (var instance in page.Instances)
        {
            var (phase, assessment) = StrayInstanceScanJudge.Judge(
                instance,
                request,
                active?.Lookup(instance.InstanceId),
                histories.GetValueOrDefault(instance.InstanceId),
                claims.GetValueOrDefault(instance.InstanceId));
            tally.Add(instance, phase, assessment);
        }

        _logger.LogInformation(
            "Orphan scan page ({Listing}): {Scanned} instances, {Young} young, {Orphans} orphans {Phases}, {Kept} "
                + "kept ({LookupFailed} lookups failed, {NoEvidence} without runner evidence), {Histories} histories "
                + "and {Claims} claims read, more pages: {More}",
            request.Listing, page.Instances.Count, tally.Young, tally.OrphanCount, tally.PhaseCounts,
                tally.KeptCounts.Total, tally.KeptCounts.LookupFailed, tally.KeptCounts.NoRunnerEvidence,
                histories.Count, claims.Count, page.NextToken is not null);
        return tally.ToPage(page.NextToken, page.Instances.Count);
    }

    // The managed listing adds stopped instances only for phase e; the runner-profile listing
    // takes every state an instance can still be terminated from (stopped ones included); the
    // builders' listing is runs-fleet's own (housekeeping/packer.go:32-40).
    private static List<Filter> ListingFilters(StrayInstanceScanRequest request)
    {
        var phases = request.Phases ?? StrayInstancePhaseCutoffs.Off;
        return request.Listing switch
        {
            StrayInstanceListing.RunnerProfile => [
                FleetInstanceReader.InstanceProfileFilter(phases.ProfileArns ?? []),
                FleetInstanceReader.StateFilter(ReCheckStates),
            ],
            StrayInstanceListing.PackerBuilders => [
                FleetInstanceReader.TagFilter(FleetTags.CreatedBy, FleetTags.PackerBuilderValue),
                FleetInstanceReader.StateFilter([.. StrayInstancePhaseRules.PackerBuilderStates]),
            ],
            _ => [
                FleetInstanceReader.TagFilter(FleetTags.Managed, FleetTags.True),
                phases.AbandonedStopped is null ? FleetInstanceReader.StateFilter("pending",
                    "running") : FleetInstanceReader.StateFilter("pending", "running", "stopped"),
            ],
        };
    }

    /// <summary>
    /// Terminates one batch of orphans after checking each again (see <see cref="StrayInstanceBatchTerminator"/>):
    /// its EC2 state, its job records, its instance claim; a termination-protected instance is
    /// reported and the rest of the batch terminated.
    /// Throttling fails the activity with a retryable failure so Temporal backs off;
    /// re-running the batch is safe (TerminateInstances is idempotent).
    /// </summary>
    [Activity("TerminateOrphans")]
    public async Task<StrayInstanceTerminateResult> TerminateStrayInstancesAsync(StrayInstanceTerminateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var terminator = new StrayInstanceBatchTerminator(
            _reader, _jobs, _claims, _spot, _terminator, _options.LookupConcurrency, _logger);
        return new StrayInstanceTerminateResult(await terminator.TerminateAsync(
            request.Orphans, CurrentActivity.HeartbeatCallback, CurrentActivity.CancellationToken));
    }

    /// <summary>Publishes OrphanedInstancesTerminated for the run (0 included, so dashboards see every
    /// run), and once per phase with the dimension Phase. <paramref name="byPhase"/> is null
    /// when a run from before the phases asks: then only the total is published.</summary>
    [Activity("PublishOrphanMetrics")]
    public async Task<int> PublishStrayInstanceMetricsAsync(int terminated, StrayInstancePhaseCounts? byPhase = null)
    {
        List<MetricDatum> data = [MetricDatum.Plain(TerminatedMetric, terminated, "Count")];
        if (byPhase is not null)
        {
            data.AddRange(Enum.GetValues<StrayInstancePhase>().Select(p => MetricDatum.With(TerminatedMetric,
                byPhase[p], "Count", PhaseDimension, p.ToString())));
        }

        return await _metrics.PublishAsync(data, CurrentActivity.CancellationToken);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw FailureTypes.Invalid(message);
        }
    }
}
