using Amazon.EC2;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using Temporalio.Activities;

namespace RunsFleet.Activities.Sweeps.StaleSsm;

/// <summary>Activities of the StaleSsmSweep workflow. The listing uses DescribeParameters with a
/// recursive Path filter rather than GetParametersByPath: it returns 50 names per page
/// instead of 10 (a fifth of the requests) together with LastModifiedDate, and it never
/// reads, decrypts or returns the secret values the sweep has no use for.
/// Each batch deletes its stale names before the next batch is listed: SSM's NextToken marks
/// a position in the name order, not an offset, so deleting listed names does not shift
/// later pages (and anything missed would be caught by the next hourly run anyway).</summary>
public sealed class StaleSsmSweepActivities
{
    /// <summary>Names DeleteParameters accepts in one request.</summary>
    public const int DeleteBatchSize = RunnerParameterBatchDelete.MaxNamesPerRequest;

    /// <summary>Instance ids one batch looks up at most: ten full DescribeInstances calls, so the one
    /// partly filled call a batch may end with costs at most a tenth more than the minimum.</summary>
    public const int MaxLookupsPerBatch = 10 * InstanceExistenceChecker.MaxIdsPerRequest;

    /// <summary>Listing pages one batch reads at most, which bounds its memory and duration when few
    /// names need a lookup (young or unparseable ones): 80 pages, 4,000 names.</summary>
    public const int MaxPagesPerBatch = 80;

    /// <summary>Name of the metric counting deleted parameters.</summary>
    public static readonly string DeletedMetric = SweepDefinition.Of(SweepKind.StaleSsm).Metric!;

    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly InstanceExistenceChecker _instances;
    private readonly StaleSsmSweepOptions _options;
    private readonly IMetricsSink _metrics;
    private readonly ILogger<StaleSsmSweepActivities> _logger;

    public StaleSsmSweepActivities(
        IAmazonSimpleSystemsManagement ssm,
        IAmazonEC2 ec2,
        IOptions<StaleSsmSweepOptions> options,
        IMetricsSink metrics,
        ILogger<StaleSsmSweepActivities> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ssm = ssm ?? throw new ArgumentNullException(nameof(ssm));
        _instances = new InstanceExistenceChecker(ec2 ?? throw new ArgumentNullException(nameof(ec2)));
        _options = options.Value;
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Resolves the sweep's settings: configuration, with the trigger's grace period when it
    /// gives one. Workflows cannot read configuration themselves, and resolving once means a
    /// configuration change mid-sweep does not change the rules halfway.</summary>
    [Activity("GetStaleSsmSettings")]
    public Task<StaleSsmSweepPlan> PlanStaleSsmSweepAsync(int? graceMinutesOverride)
    {
        return Task.FromResult(new StaleSsmSweepPlan
        {
            ParameterPrefix = _options.ParameterPrefix,
            // A trigger may only lengthen the grace (SweepOverrides): a shorter one fails the sweep.
            GraceMinutes = SweepOverrides.Threshold(
                graceMinutesOverride, _options.GraceMinutes, "grace_minutes", "RUNS_FLEET_STALE_SSM_GRACE_MINUTES"),
            PageSize = _options.PageSize,
            PagesPerRun = _options.PagesPerRun,
        });
    }

    /// <summary>Sweeps one batch of listing pages: lists pages of runner parameters until their instances
    /// would fill <see cref="MaxLookupsPerBatch"/> DescribeInstances ids (or the listing ends),
    /// looks them up 200 ids per call, and deletes the stale names 10 at a time. Collecting
    /// several pages first is what keeps the lookups at the minimum: one 50-name page holds at
    /// most 50 ids where a call takes 200. A batch holds at most 4,000 names in memory.
    /// Safe to retry: deleting an already deleted name is reported by SSM, not an error.</summary>
    [Activity]
    public async Task<StaleSsmSweepPageResult> SweepStaleParameterPageAsync(StaleSsmSweepPageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cancellationToken = CurrentActivity.CancellationToken;
        var grace = TimeSpan.FromMinutes(request.GraceMinutes);

        var (parameters, lookupIds, pages, nextToken) = await ListBatchAsync(request, grace, cancellationToken);
        var states = await _instances.GetStatesAsync(lookupIds, cancellationToken);

        var verdicts = parameters
            .Select(p => (p.Name, Verdict: StaleSsmSweepRules.Decide(p.Name, request.ParameterPrefix, Modified(p),
                request.Now, grace, states)))
            .ToList();
        var stale = verdicts.Where(v => v.Verdict == ParameterVerdict.Stale).Select(v => v.Name).ToList();
        var unparseable = verdicts.Where(v => v.Verdict == ParameterVerdict.KeptUnparseable).Select(v =>
            v.Name).ToList();
        foreach (var name in unparseable)
        {
            _logger.LogWarning("Parameter {ParameterName} has no instance id under {Prefix}; left alone", name,
                request.ParameterPrefix);
        }

        var (deleted, alreadyGone) = request.DryRun
            ? (0, 0)
            : await RunnerParameterBatchDelete.DeleteAsync(_ssm, stale, cancellationToken);

        if (deleted > 0)
        {
            await _metrics.PublishAsync([MetricDatum.Plain(DeletedMetric, deleted, "Count")], cancellationToken);
        }

        _logger.LogInformation(
            "Stale SSM batch: {Pages} pages, {Listed} listed, {Lookups} instances looked up, {Stale} stale, {Deleted} "
                + "deleted, {AlreadyGone} already gone, dry run {DryRun}",
            pages,
            parameters.Count,
            lookupIds.Count,
            stale.Count,
            deleted,
            alreadyGone,
            request.DryRun);

        return new StaleSsmSweepPageResult
        {
            NextToken = nextToken,
            Pages = pages,
            Listed = parameters.Count,
            Stale = stale.Count,
            StaleNames = [.. stale.Take(StaleSsmSweepPageResult.MaxNames)],
            Deleted = deleted,
            AlreadyGone = alreadyGone,
            KeptYoung = verdicts.Count(v => v.Verdict == ParameterVerdict.KeptYoung),
            KeptInstanceAlive = verdicts.Count(v => v.Verdict == ParameterVerdict.KeptInstanceAlive),
            KeptNoTimestamp = verdicts.Count(v => v.Verdict == ParameterVerdict.KeptNoTimestamp),
            Unparseable = unparseable.Count,
            UnparseableNames = [.. unparseable.Take(StaleSsmSweepPageResult.MaxNames)],
        };
    }

    // Lists pages from the request's token while one more page cannot overflow the batch's
    // lookups (a page adds at most PageSize ids), so a batch ends with at most one partly filled
    // DescribeInstances call.
    private async Task<(List<ParameterMetadata> Parameters, HashSet<string> LookupIds, int Pages,
        string? NextToken)> ListBatchAsync(
        StaleSsmSweepPageRequest request, TimeSpan grace, CancellationToken cancellationToken)
    {
        var parameters = new List<ParameterMetadata>();
        var lookupIds = new HashSet<string>(StringComparer.Ordinal);
        var pages = 0;
        var nextToken = request.NextToken;
        do
        {
            var page = await ListPageAsync(request, nextToken, cancellationToken);
            pages++;
            foreach (var parameter in page.Parameters ?? [])
            {
                parameters.Add(parameter);
                if (StaleSsmSweepRules.NeedsInstanceLookup(parameter.Name, request.ParameterPrefix, Modified(parameter),
                    request.Now, grace, out var instanceId))
                {
                    lookupIds.Add(instanceId);
                }
            }

            nextToken = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
            CurrentActivity.Heartbeat(pages);
        }
        while (nextToken is not null && lookupIds.Count + request.PageSize <= MaxLookupsPerBatch
            && pages < MaxPagesPerBatch);

        return (parameters, lookupIds, pages, nextToken);
    }

    private static DateTimeOffset? Modified(ParameterMetadata parameter) =>
        parameter.LastModifiedDate is { } date
            ? new DateTimeOffset(DateTime.SpecifyKind(date.ToUniversalTime(), DateTimeKind.Utc))
            : null;

    private async Task<DescribeParametersResponse> ListPageAsync(StaleSsmSweepPageRequest request, string? nextToken,
        CancellationToken cancellationToken)
    {
        var describe = new DescribeParametersRequest
        {
            ParameterFilters =
            [
                new ParameterStringFilter
                {
                    Key = "Path",
                    Option = "Recursive",
                    Values = [RunnerParameterPath.PathFilterValue(request.ParameterPrefix)],
                },
            ],
            MaxResults = request.PageSize,
            NextToken = nextToken,
        };
        return await AwsCall.RunAsync("DescribeParameters", () => _ssm.DescribeParametersAsync(describe,
            cancellationToken));
    }
}
