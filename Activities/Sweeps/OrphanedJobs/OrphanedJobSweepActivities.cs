using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.Common;
using Temporalio.Activities;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>Activities of the OrphanedJobSweep workflow: fix the plan, judge one status-created_at-index page at a
/// time (one DescribeInstances per 200 instance ids), and retire a batch of orphaned jobs.
/// Reading writes nothing, so a failed EC2 lookup fails the page and marks nothing.</summary>
public sealed class OrphanedJobSweepActivities
{
    /// <summary>Metric name of the number of jobs marked orphaned.</summary>
    public static readonly string MarkedMetric = SweepDefinition.Of(SweepKind.OrphanedJobs).Metric!;

    private readonly IAmazonDynamoDB _dynamo;
    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly InstanceExistenceChecker _instances;
    private readonly JobsTableOptions _table;
    private readonly OrphanedJobSweepOptions _options;
    private readonly string _parameterPrefix;
    private readonly IMetricsSink _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<OrphanedJobSweepActivities> _logger;

    public OrphanedJobSweepActivities(
        IAmazonDynamoDB dynamo,
        IAmazonEC2 ec2,
        IAmazonSimpleSystemsManagement ssm,
        IOptions<JobsTableOptions> table,
        IOptions<OrphanedJobSweepOptions> options,
        IOptions<RunnerParameterOptions> parameters,
        IMetricsSink metrics,
        TimeProvider time,
        ILogger<OrphanedJobSweepActivities> logger)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parameters);
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        _instances = new InstanceExistenceChecker(ec2 ?? throw new ArgumentNullException(nameof(ec2)));
        _ssm = ssm ?? throw new ArgumentNullException(nameof(ssm));
        _table = table.Value;
        _options = options.Value;
        _parameterPrefix = parameters.Value.Prefix;
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Resolves the run's settings from the configuration and the input overrides and computes
    /// the cutoffs from the workflow's "now". No AWS call. An override may only make the run more
    /// careful (a longer max runtime or slack, a lower cap; <see cref="SweepOverrides"/>), and a
    /// status a job may not be orphaned from is refused: both fail the sweep, non-retryable.</summary>
    [Activity]
    public Task<OrphanedJobSweepPlan> PlanOrphanedJobSweepAsync(OrphanedJobPlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var maxRuntime = SweepOverrides.Threshold(
            request.MaxRuntimeMinutes,
            _options.MaxRuntimeMinutes,
            "max_runtime_minutes",
            "RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES");
        var slack = SweepOverrides.Threshold(
            request.SlackMinutes, _options.SlackMinutes, "slack_minutes", "RUNS_FLEET_ORPHANED_JOBS_SLACK_MINUTES");
        var cap = SweepOverrides.Cap(request.MaxJobs, _options.MaxJobs, "max_jobs",
            "RUNS_FLEET_ORPHANED_JOBS_MAX_JOBS");
        var statuses = _options.StatusList();
        if (OrphanedJobRules.StatusesProblem(statuses) is { } problem)
        {
            throw FailureTypes.Invalid($"RUNS_FLEET_ORPHANED_JOBS_STATUSES {problem}, got '{_options.Statuses}'");
        }

        var plan = new OrphanedJobSweepPlan
        {
            Now = request.Now,
            RuntimeCutoff = OrphanedJobRules.RuntimeCutoff(request.Now, maxRuntime, slack),
            CreatedBefore = JobRecord.FormatTimestamp(request.Now - TimeSpan.FromMinutes(_options.GraceMinutes)),
            MaxRuntimeMinutes = maxRuntime,
            SlackMinutes = slack,
            MaxJobs = cap,
            Statuses = statuses,
            PageSize = _options.PageSize,
            PagesPerRun = _options.PagesPerRun,
            MarkBatchSize = _options.MarkBatchSize,
            ThresholdCutoff = OrphanedJobRules.ThresholdCutoff(request.Now, _options.ThresholdMinutes),
        };
        _logger.LogInformation(
            "Orphaned job sweep plan: statuses {Statuses}, created before {CreatedBefore}, young after "
                + "{ThresholdCutoff}, "
                + "over age before {RuntimeCutoff} ({MaxRuntime} + {Slack} min), cap {Cap}",
            string.Join(",", plan.Statuses),
            plan.CreatedBefore,
            plan.ThresholdCutoff,
            plan.RuntimeCutoff,
            maxRuntime,
            slack,
            cap);
        return Task.FromResult(plan);
    }

    /// <summary>Reads one page of one status partition and judges each job: its age (requeued_at for a
    /// requeued job, read from the table 100 per BatchGetItem, only for those old enough to
    /// judge), its instance's EC2 state (looked up by id filter, 200 ids per call) and the
    /// cutoffs. Writes nothing. Any AWS error fails the page (retried by Temporal): a job is never
    /// judged without what it is judged by. A status no job may be orphaned from (a plan made
    /// before terminating was dropped) is not read at all.</summary>
    [Activity]
    public async Task<OrphanedJobScanPage> ScanOrphanedJobPageAsync(OrphanedJobScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!OrphanedJobRules.IsOrphanable(request.Status))
        {
            _logger.LogWarning("Orphaned job sweep skips status {Status}: no job is orphaned from it", request.Status);
            return new OrphanedJobScanPage(null, 0, 0, 0, 0, 0, 0, []);
        }

        var ct = CurrentActivity.CancellationToken;
        // A plan made before the threshold existed carries none: the configured one, from now.
        var threshold = request.ThresholdCutoff
            ?? OrphanedJobRules.ThresholdCutoff(_time.GetUtcNow(), _options.ThresholdMinutes);
        var cutoffs = new OrphanedJobCutoffs(threshold, request.RuntimeCutoff);
        var query = OrphanedJobRequests.Page(_table, request);
        var page = await JobsIndexQuery.ReadPageAsync(_dynamo, _table, query, ct);
        CurrentActivity.Heartbeat();
        var items = (page.Items ?? []).Select(OrphanedJobRequests.Read).ToList();

        var requeuedIds = items
            .Where(j => j.JobId is not null && OrphanedJobRules.NeedsRequeuedAt(request.Status, j.CreatedAt, threshold))
            .Select(j => j.JobId!.Value)
            .ToHashSet();
        var requeued = await RequeuedAtReader.ReadAsync(_dynamo, _table.TableName, requeuedIds, ct);

        var lookupIds = items
            .Where(j => OrphanedJobRules.NeedsInstanceLookup(j.InstanceId))
            .Select(j => j.InstanceId!)
            .ToHashSet(StringComparer.Ordinal);
        var states = await _instances.GetStatesAsync(lookupIds, ct);

        var tally = new OrphanedJobPageTally(request.CandidateLimit);
        foreach (var (jobId, instanceId, createdAt) in items)
        {
            var fetched = jobId is { } id ? requeued.GetValueOrDefault(id) : default;
            if (jobId is { } readId && requeuedIds.Contains(readId) && fetched.Status != JobRecord.Requeued)
            {
                tally.Kept(OrphanedJobVerdict.Active); // claimed again, finished or deleted since the index was read
                continue;
            }

            var job = new OrphanedJobView(jobId, request.Status, instanceId, createdAt, fetched.RequeuedAt);
            tally.Add(job, OrphanedJobRules.Judge(job, cutoffs, states));
        }

        _logger.LogInformation(
            "Orphaned job page of {Status}: {Read} jobs, {Instances} instances checked ({Known} known to EC2), "
                + "{Requeued} requeued_at read, {Gone} on gone instances, {OverAge} over age, {Young} young, {Active} "
                + "active, "
                + "{Unreadable} unreadable",
            request.Status,
            items.Count,
            lookupIds.Count,
            states.Count,
            requeuedIds.Count,
            tally.InstanceGone,
            tally.OverAge,
            tally.Young,
            tally.Active,
            tally.Unreadable);
        var next = ActiveJobCursor.FromLastEvaluatedKey(page.LastEvaluatedKey);
        return tally.ToPage(next, items.Count, lookupIds.Count, states.Count);
    }

    /// <summary>Retires one batch: each job becomes <c>orphaned</c> (completed_at now, orphan_reason, pool
    /// removed as runs-fleet does) by a conditional update on the status and instance it was read
    /// with (and requeued_at for a requeued job). The runner parameters of
    /// marked jobs whose instance is gone are deleted (10 names per call); a job marked only for
    /// its age keeps them, since its instance is alive and may hold a newer job. Safe to retry:
    /// an already marked job fails the condition and is reported as left alone.</summary>
    [Activity]
    public async Task<OrphanedJobMarkResult> MarkOrphanedJobsAsync(OrphanedJobMarkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = CurrentActivity.CancellationToken;
        var now = _time.GetUtcNow();
        var outcomes = new List<OrphanedJobReport>();
        foreach (var job in request.Jobs)
        {
            if (!OrphanedJobRules.IsOrphanable(job.Status))
            {
                // runs-fleet's MarkJobOrphaned refuses the same (orphans.go:348): it would overwrite a settled outcome.
                var refused = $"status {job.Status} is never orphaned; left alone";
                outcomes.Add(new OrphanedJobReport(
                    job.JobId, job.InstanceId, job.Status, job.Cause, OrphanedJobDecision.LeftAlone, refused));
                continue;
            }

            var marked = await MarkAsync(job, now, ct);
            outcomes.Add(new OrphanedJobReport(
                job.JobId,
                job.InstanceId,
                job.Status,
                job.Cause,
                marked ? OrphanedJobDecision.Marked : OrphanedJobDecision.LeftAlone,
                marked ? job.Reason : $"changed since it was read ({job.Status} on "
                    + $"{job.InstanceId ?? "no instance"}); left alone"));
            CurrentActivity.Heartbeat(outcomes.Count);
        }

        var names = outcomes
            .Where(o => o.Decision == OrphanedJobDecision.Marked && o.Cause == OrphanCause.InstanceGone
                && InstanceIds.IsValid(o.InstanceId))
            .Select(o => o.InstanceId!)
            .Distinct(StringComparer.Ordinal)
            .SelectMany(id => RunnerParameterNames.For(_parameterPrefix, id))
            .ToList();
        var (deleted, alreadyGone) = await RunnerParameterBatchDelete.DeleteAsync(_ssm, names, ct);

        var markedCount = outcomes.Count(o => o.Decision == OrphanedJobDecision.Marked);
        if (markedCount > 0)
        {
            await _metrics.PublishAsync([MetricDatum.Plain(MarkedMetric, markedCount, "Count")], ct);
        }

        _logger.LogWarning(
            "Marked {Marked} of {Count} jobs orphaned ({JobIds}); runner parameters: {Deleted} deleted, {AlreadyGone} "
                + "already gone",
            markedCount,
            request.Jobs.Count,
            string.Join(",", outcomes.Where(o => o.Decision == OrphanedJobDecision.Marked).Select(o => o.JobId)),
            deleted,
            alreadyGone);
        return new OrphanedJobMarkResult(outcomes, deleted, alreadyGone);
    }

    // The conditional update; false when its condition failed (the record changed since the read).
    private Task<bool> MarkAsync(OrphanedJobCandidate job, DateTimeOffset now, CancellationToken ct) =>
        AwsCall.RunAsync(
            "UpdateItem",
            async () =>
            {
                try
                {
                    await _dynamo.UpdateItemAsync(OrphanedJobRequests.Mark(_table.TableName, job, now), ct);
                    return true;
                }
                catch (ConditionalCheckFailedException)
                {
                    return false;
                }
            },
            ex => _logger.LogWarning(ex, "UpdateItem of job {JobId} failed with {ErrorCode}", job.JobId, ex.ErrorCode));
}
