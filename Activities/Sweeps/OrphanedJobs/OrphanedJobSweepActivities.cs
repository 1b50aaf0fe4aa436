using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.StaleSsm;
using Temporalio.Activities;

namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>
/// Activities of the OrphanedJobSweep workflow: fix the plan, judge one status-created_at-index page at a
/// time (one DescribeInstances per 200 instance ids), and retire a batch of orphaned jobs.
/// Reading writes nothing, so a failed EC2 lookup fails the page and marks nothing.
/// </summary>
public sealed class OrphanedJobSweepActivities
{
    /// <summary>Metric name of the number of jobs marked orphaned.</summary>
    public const string MarkedMetric = "OrphanedJobsMarked";

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

    /// <summary>
    /// Resolves the run's settings from the configuration and the input overrides and computes
    /// both cutoffs from the workflow's "now". No AWS call. A terminal status in the configured
    /// list is refused: the sweep would retire finished jobs.
    /// </summary>
    [Activity]
    public Task<OrphanedJobSweepPlan> PlanOrphanedJobSweepAsync(OrphanedJobPlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var maxRuntime = request.MaxRuntimeMinutes ?? _options.MaxRuntimeMinutes;
        var slack = request.SlackMinutes ?? _options.SlackMinutes;
        var cap = request.MaxJobs ?? _options.MaxJobs;
        var statuses = _options.Statuses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        // orphaned is not terminal, but a sweep reading it would retire its own marks again.
        if (statuses.Count == 0 || statuses.Any(s => JobRecord.IsTerminal(s) || s == JobRecord.Orphaned))
        {
            throw FailureTypes.Invalid($"RUNS_FLEET_ORPHANED_JOBS_STATUSES must list non-terminal statuses other than orphaned, got '{_options.Statuses}'");
        }

        var plan = new OrphanedJobSweepPlan(
            request.Now,
            OrphanedJobRules.RuntimeCutoff(request.Now, maxRuntime, slack),
            JobRecord.FormatTimestamp(request.Now - TimeSpan.FromMinutes(_options.GraceMinutes)),
            maxRuntime,
            slack,
            cap,
            statuses,
            _options.PageSize,
            _options.PagesPerRun,
            _options.MarkBatchSize);
        _logger.LogInformation(
            "Orphaned job sweep plan: statuses {Statuses}, created before {CreatedBefore}, over age before {RuntimeCutoff} ({MaxRuntime} + {Slack} min), cap {Cap}",
            string.Join(",", plan.Statuses), plan.CreatedBefore, plan.RuntimeCutoff, maxRuntime, slack, cap);
        return Task.FromResult(plan);
    }

    /// <summary>
    /// Reads one page of one status partition and judges each job: its instance's EC2 state
    /// (looked up by id filter, 200 ids per call) and its age. Writes nothing. Any AWS error
    /// fails the page (retried by Temporal): a job is never judged without its instance's state.
    /// </summary>
    [Activity]
    public async Task<OrphanedJobScanPage> ScanOrphanedJobPageAsync(OrphanedJobScanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = CurrentActivity.CancellationToken;
        var query = OrphanedJobRequests.Page(_table, request);
        var page = await AwsCall.RunAsync("Query " + _table.ActiveJobsIndex, () => JobsIndexQuery.RunAsync(_dynamo, _table, query, ct));
        CurrentActivity.Heartbeat();
        var jobs = (page.Items ?? []).Select(OrphanedJobRequests.Read).ToList();

        var lookupIds = jobs.Where(j => OrphanedJobRules.NeedsInstanceLookup(j.InstanceId)).Select(j => j.InstanceId!).ToHashSet(StringComparer.Ordinal);
        var states = lookupIds.Count == 0
            ? new Dictionary<string, string>()
            : await _instances.GetStatesAsync(lookupIds, ct);

        int gone = 0, overAge = 0, active = 0, unreadable = 0;
        var candidates = new List<OrphanedJobCandidate>();
        foreach (var (jobId, instanceId, createdAt) in jobs)
        {
            if (jobId is not { } id || createdAt is null)
            {
                unreadable++;
                continue;
            }

            if (OrphanedJobRules.Judge(instanceId, createdAt, request.RuntimeCutoff, states) is not { } verdict)
            {
                active++;
                continue;
            }

            if (verdict.Cause == OrphanCause.InstanceGone)
            {
                gone++;
            }
            else
            {
                overAge++;
            }

            if (candidates.Count < request.CandidateLimit)
            {
                candidates.Add(new OrphanedJobCandidate(id, instanceId, request.Status, verdict.Cause, verdict.Reason));
            }
        }

        _logger.LogInformation(
            "Orphaned job page of {Status}: {Read} jobs, {Instances} instances checked, {Gone} on gone instances, {OverAge} over age, {Active} active, {Unreadable} unreadable",
            request.Status, jobs.Count, lookupIds.Count, gone, overAge, active, unreadable);
        return new OrphanedJobScanPage(
            ActiveJobCursor.FromLastEvaluatedKey(page.LastEvaluatedKey), jobs.Count, lookupIds.Count, gone, overAge, active, unreadable, candidates);
    }

    /// <summary>
    /// Retires one batch: each job becomes <c>orphaned</c> (completed_at now, orphan_reason) by a
    /// conditional update on the status and instance it was read with. The runner parameters of
    /// marked jobs whose instance is gone are deleted (10 names per call); a job marked only for
    /// its age keeps them, since its instance is alive and may hold a newer job. Safe to retry:
    /// an already marked job fails the condition and is reported as left alone.
    /// </summary>
    [Activity]
    public async Task<OrphanedJobMarkResult> MarkOrphanedJobsAsync(OrphanedJobMarkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ct = CurrentActivity.CancellationToken;
        var now = _time.GetUtcNow();
        var outcomes = new List<OrphanedJobReport>();
        foreach (var job in request.Jobs)
        {
            var marked = await MarkAsync(job, now, ct);
            outcomes.Add(new OrphanedJobReport(
                job.JobId,
                job.InstanceId,
                job.Status,
                job.Cause,
                marked ? OrphanedJobDecision.Marked : OrphanedJobDecision.LeftAlone,
                marked ? job.Reason : $"changed since it was read ({job.Status} on {job.InstanceId ?? "no instance"}); left alone"));
            CurrentActivity.Heartbeat(outcomes.Count);
        }

        var names = outcomes
            .Where(o => o.Decision == OrphanedJobDecision.Marked && o.Cause == OrphanCause.InstanceGone && InstanceIds.IsValid(o.InstanceId))
            .Select(o => o.InstanceId!)
            .Distinct(StringComparer.Ordinal)
            .SelectMany(id => RunnerParameterNames.For(_parameterPrefix, id))
            .ToList();
        var (deleted, alreadyGone) = names.Count == 0 ? (0, 0) : await RunnerParameterBatchDelete.DeleteAsync(_ssm, names, ct);

        var markedCount = outcomes.Count(o => o.Decision == OrphanedJobDecision.Marked);
        if (markedCount > 0)
        {
            await _metrics.PublishAsync([MetricDatum.Plain(MarkedMetric, markedCount, "Count")], ct);
        }

        _logger.LogWarning(
            "Marked {Marked} of {Count} jobs orphaned ({JobIds}); runner parameters: {Deleted} deleted, {AlreadyGone} already gone",
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
