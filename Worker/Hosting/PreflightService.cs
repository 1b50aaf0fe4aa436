using Amazon.DynamoDBv2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Preflight;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Worker.Hosting;

/// <summary>The preflight at start, before the Temporal worker polls (hosted services start in order): two
/// DescribeTable calls, then one log line per capability, ready or its one fix (the same decision
/// as <c>runs-fleet doctor</c>, without the buckets and queues the worker's role may not read).
/// Only one finding stops the worker: the jobs table does not exist. Every JobTermination run
/// would then fail for good and need a reset, while a worker that does not start leaves them
/// queued in Temporal until one with the right RUNS_FLEET_JOBS_TABLE runs. Anything else (a missing
/// index, a check that could not be made) is logged and the worker starts: the other capabilities
/// still work, and the sweep that needs the index refuses with the same fix (IndexMissing).</summary>
internal sealed class PreflightService(
    IServiceProvider services,
    IOptions<JobsTableOptions> jobs,
    IOptions<PoolAuditOptions> pools,
    IOptions<JobArchiveOptions> archival,
    ILogger<PreflightService> logger) : IHostedService
{
    /// <summary>Longest the preflight may hold up the start; past it the checks count as not made.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    private readonly PreflightSettings _settings = new()
    {
        Jobs = jobs.Value,
        PoolsTable = pools.Value.PoolsTableName,
        ArchiveBucket = archival.Value.ArchiveEnabled ? archival.Value.ArchiveBucket : null,
        ReportBucket = string.IsNullOrWhiteSpace(pools.Value.ReportBucket) ? null : pools.Value.ReportBucket,
    };

    /// <summary>The reports of the last run (for tests and diagnostics).</summary>
    public IReadOnlyList<CapabilityReport> Reports { get; private set; } = [];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        PreflightObservations seen;
        try
        {
            var dynamo = services.GetRequiredService<IAmazonDynamoDB>();
            var (jobs, pools) = await PreflightTables.DescribeAsync(dynamo, _settings, budget.Token);
            seen = new PreflightObservations(jobs, pools);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // No client (no region) or past the budget: nothing was checked; the worker starts as before.
            logger.LogWarning(
                "Preflight not made: {Reason}; `runs-fleet doctor` checks the same from a shell",
                $"{e.GetType().Name}: {e.Message}");
            return;
        }

        Reports = PreflightCheck.Evaluate(_settings, seen);
        foreach (var report in Reports)
        {
            Log(report);
        }

        logger.LogInformation(
            "Preflight: {Ready} of {Total} capabilities ready, {NotReady} not ready, {Unchecked} not checked",
            Reports.Count(r => r.IsReady),
            Reports.Count,
            Reports.Count(r => r.State == PreflightState.NotReady),
            Reports.Count(r => r.State == PreflightState.Unchecked));
        if (PreflightCheck.IsFatal(seen))
        {
            var fix = TableRules.Table(seen.Jobs, TableRequirement.Jobs)!.Fix;
            logger.LogCritical(
                "Preflight: the jobs table {Table} does not exist; the worker does not start (every JobTermination "
                + "run would fail for good). Fix: {Fix}",
                _settings.Jobs.TableName,
                fix);
            throw new PreflightFailedException($"the jobs table {_settings.Jobs.TableName} does not exist: {fix}");
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Log(CapabilityReport report)
    {
        var more = report.MoreProblems > 0 ? $" ({report.MoreProblems} more after this one)" : string.Empty;
        using var scope = report.Terraform is null
            ? null
            : logger.BeginScope(new Dictionary<string, object> { ["Terraform"] = report.Terraform });
        switch (report.State)
        {
            case PreflightState.Ready when report.Note is null:
                logger.LogInformation("Preflight {Capability}: ready", report.Capability);
                break;
            case PreflightState.Ready:
                logger.LogInformation("Preflight {Capability}: ready ({Note})", report.Capability, report.Note);
                break;
            case PreflightState.NotReady:
                logger.LogError(
                    "Preflight {Capability}: not ready: {Problem}{More}. Fix: {Fix}",
                    report.Capability,
                    report.Problem,
                    more,
                    report.Fix);
                break;
            default:
                logger.LogWarning(
                    "Preflight {Capability}: not checked: {Problem}{More}. Fix: {Fix}",
                    report.Capability,
                    report.Problem,
                    more,
                    report.Fix);
                break;
        }
    }
}

/// <summary>The preflight found what the worker must not start with (<see cref="PreflightCheck.IsFatal"/>).</summary>
internal sealed class PreflightFailedException : Exception
{
    public PreflightFailedException(string message)
        : base(message)
    {
    }

    public PreflightFailedException()
    {
    }

    public PreflightFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
