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

    /// <summary>Dimension of the per-phase <see cref="TerminatedMetric"/> data.</summary>
    public const string PhaseDimension = "Phase";

    // The states an orphan can be terminated from; each phase checks the one it judged.
    private static readonly string[] ReCheckStates = ["pending", "running", "stopping", "stopped"];

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
    /// computes the cutoff from the workflow's "now". No AWS call. An override that would make
    /// the run less careful than configured fails it (<see cref="SweepOverrides"/>).
    /// </summary>
    [Activity]
    public Task<OrphanSweepPlan> PlanOrphanSweepAsync(OrphanPlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A trigger may only make the sweep more careful: a longer runtime, a lower cap.
        var maxRuntime = SweepOverrides.Threshold(
            request.MaxRuntimeMinutes, _options.MaxRuntimeMinutes, "max_runtime_minutes", "RUNS_FLEET_ORPHAN_MAX_RUNTIME_MINUTES");
        var cap = SweepOverrides.Cap(
            request.MaxTerminations, _options.MaxTerminations, "max_terminations", "RUNS_FLEET_ORPHAN_MAX_TERMINATIONS");
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
            _options.MaxListedInstances)
        {
            Phases = _options.PhaseCutoffs(request.Now),
        };
        _logger.LogInformation(
            "Orphan sweep plan: cutoff {Cutoff:o} (max runtime {MaxRuntime} min + {Buffer} min), cap {Cap}, phases {Phases}",
            plan.Cutoff, plan.MaxRuntimeMinutes, plan.BufferMinutes, plan.MaxTerminations, plan.Phases);
        return Task.FromResult(plan);
    }

    /// <summary>
    /// Lists one page of the request's listing (managed instances, or the runner profile's)
    /// and runs the enabled phases over each: young and undated ones are counted, the
    /// active-job set is read once per sweep when a page has a candidate, and the job
    /// history (instance-id-index) is read only for the candidates of phases c and d.
    /// </summary>
    [Activity]
    public async Task<OrphanScanPage> ScanOrphanPageAsync(OrphanScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = CurrentActivity.CancellationToken;
        var page = await _reader.ReadPageAsync(ListingFilters(request), request.NextToken, request.PageSize, ct);
        CurrentActivity.Heartbeat();

        // The active jobs are read once per sweep (cached on this worker, see ActiveJobSetCache)
        // and only when the page has a candidate; every lookup is then answered in memory.
        var active = page.Instances.Any(i => OrphanScanJudge.NeedsActiveJobs(i, request))
            ? await _activeJobCache.GetOrReadAsync(
                ActiveJobSetCache.KeyFor("orphans", request.Cutoff),
                () => _activeJobs.ReadAsync(CurrentActivity.HeartbeatCallback, ct),
                ct)
            : null;
        var histories = await _jobs.ReadHistoriesAsync(
            page.Instances.Where(i => OrphanScanJudge.NeedsHistory(i, request, active?.Lookup(i.InstanceId))).Select(i => i.InstanceId).ToList(),
            _options.LookupConcurrency,
            CurrentActivity.HeartbeatCallback,
            ct);

        var tally = new OrphanPageTally(request.OrphanIdLimit, request.ListLimit);
        foreach (var instance in page.Instances)
        {
            var (phase, assessment) = OrphanScanJudge.Judge(
                instance, request, active?.Lookup(instance.InstanceId), histories.GetValueOrDefault(instance.InstanceId));
            tally.Add(instance, phase, assessment);
        }

        _logger.LogInformation(
            "Orphan scan page ({Listing}): {Scanned} instances, {Young} young, {Orphans} orphans {Phases}, {Kept} kept ({LookupFailed} lookups failed), {Histories} histories read, more pages: {More}",
            request.Listing, page.Instances.Count, tally.Young, tally.OrphanCount, tally.PhaseCounts, tally.KeptCounts.Total, tally.KeptCounts.LookupFailed, histories.Count, page.NextToken is not null);
        return tally.ToPage(page.NextToken, page.Instances.Count);
    }

    // The managed listing adds stopped instances only for phase e; the runner-profile listing
    // takes every state an instance can still be terminated from (stopped ones included).
    private static List<Filter> ListingFilters(OrphanScanRequest request)
    {
        var phases = request.Phases ?? OrphanPhaseCutoffs.Off;
        return request.Listing == OrphanListing.RunnerProfile
            ? [FleetInstanceReader.InstanceProfileFilter(phases.ProfileArns ?? []), FleetInstanceReader.StateFilter(ReCheckStates)]
            : [
                FleetInstanceReader.TagFilter(FleetTags.Managed, FleetTags.True),
                phases.AbandonedStopped is null ? FleetInstanceReader.StateFilter("pending", "running") : FleetInstanceReader.StateFilter("pending", "running", "stopped"),
            ];
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
            // An operator may have protected it, or it may have gone or changed, since the scan.
            switch (current.GetValueOrDefault(orphan.InstanceId))
            {
                case null:
                    outcomes.Add(orphan.Report(OrphanDecision.Gone, "no longer known or in a state to terminate at the re-check"));
                    break;
                case { IsProtected: true }:
                    outcomes.Add(orphan.Report(OrphanDecision.Protected, "tagged runs-fleet:protected=true since the scan"));
                    break;
                case var now when OrphanPhaseRules.ChangedSinceScan(orphan.Phase, now) is { } change:
                    outcomes.Add(orphan.Report(OrphanDecision.Gone, change));
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
                    outcomes.Add(orphan.Report(
                        OrphanDecision.ActiveJob,
                        "assigned a job since the scan" + (lookup.JobId is { } id ? $" (job {id.ToString(CultureInfo.InvariantCulture)})" : string.Empty)));
                    break;
                default:
                    outcomes.Add(orphan.Report(OrphanDecision.LookupFailed, "re-check before terminating: " + lookup.Reason));
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
                    accepted.Contains(orphan.InstanceId) ? orphan.Report(OrphanDecision.Terminated, orphan.Reason)
                    : gone.Contains(orphan.InstanceId) ? orphan.Report(OrphanDecision.Gone, "EC2 no longer knows this instance (InvalidInstanceID.NotFound)")
                    : orphan.Report(OrphanDecision.TerminateFailed, "missing from the TerminateInstances answer"));
            }

            _logger.LogWarning(
                "Terminated {Count} orphaned instances: {InstanceIds}", accepted.Count, string.Join(",", accepted.Order(StringComparer.Ordinal)));
        }

        return new OrphanTerminateResult(outcomes);
    }

    // One DescribeInstances per 200 ids of the batch (the most one filter takes): an instance-id
    // filter (unlike InstanceIds) does not fail on unknown ids, and the state filter drops those
    // already on their way out (each phase then checks the state it judged).
    private async Task<Dictionary<string, FleetInstance>> DescribeCurrentAsync(IReadOnlyList<OrphanCandidate> orphans, CancellationToken ct)
    {
        var found = new Dictionary<string, FleetInstance>(StringComparer.Ordinal);
        foreach (var chunk in orphans.Select(o => o.InstanceId).Distinct(StringComparer.Ordinal).Chunk(Ec2Limits.MaxFilterValues))
        {
            string? token = null;
            do
            {
                var page = await _reader.ReadPageAsync(
                    [new Filter("instance-id", [.. chunk]), FleetInstanceReader.StateFilter(ReCheckStates)],
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

    /// <summary>
    /// Publishes OrphanedInstancesTerminated for the run (0 included, so dashboards see every
    /// run), and once per phase with the dimension Phase. <paramref name="byPhase"/> is null
    /// when a run from before the phases asks: then only the total is published.
    /// </summary>
    [Activity]
    public async Task<int> PublishOrphanMetricsAsync(int terminated, OrphanPhaseCounts? byPhase = null)
    {
        List<MetricDatum> data = [MetricDatum.Plain(TerminatedMetric, terminated, "Count")];
        if (byPhase is not null)
        {
            data.AddRange(Enum.GetValues<OrphanPhase>().Select(p => MetricDatum.With(TerminatedMetric, byPhase[p], "Count", PhaseDimension, p.ToString())));
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
