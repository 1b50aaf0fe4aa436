using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Tests.Activities.Sweeps.PoolAudit;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Common;
using RunsFleet.Workflows.Sweeps.PoolAudit;

namespace RunsFleet.Tests.Workflows.Sweeps.PoolAudit;

// The audit is one activity (AuditPools) since the pools and tallies left the history: the
// earlier command sequence (PlanPoolAudit, ReadPoolsPage..., CountPoolInstancesPage...,
// PublishPoolAuditReport, continue-as-new) is gone on purpose.
public class PoolAuditWorkflowReplayTests
{
    private const string Type = SweepWorkflowTypes.PoolAudit;
    internal static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    internal static readonly PoolDefinition Linux = new("linux", "m5.large", 2, 1);
    internal static readonly PoolDefinition Arm = new("arm", null, 1, 1);

    [Fact]
    public async Task Dry_run_asks_the_audit_activity_for_a_dry_run_and_returns_its_totals()
    {
        var summary = Summary(null, 0, Linux) with { InstancesScanned = 3, Pages = 2 };
        var builder = new HistoryBuilder(Type, new PoolAuditInput { DryRun = true }, startTime: Start);
        var history = builder
            .ActivityCompleted("AuditPools", summary)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["AuditPools"], replay.ActivityTypes);
        var request = replay.Activities[0].Arg<PoolAuditRequest>();
        Assert.True(request.DryRun);
        Assert.InRange(request.AuditTime, Start, Start.AddSeconds(1));
        Assert.Equal((builder.WorkflowId, builder.RunId), (request.WorkflowId, request.RunId));
        var result = replay.Result<PoolAuditResult>();
        Assert.True(result.DryRun);
        Assert.Null(result.ReportKey);
        Assert.Equal(0, result.MetricsPublished);
        Assert.Equal(summary.Totals, result.Totals);
        Assert.Equal((3L, 2), (result.InstancesScanned, result.Pages));
    }

    [Fact]
    public async Task A_real_run_has_one_activity_count_build_upload_and_publish_the_report_under_the_run()
    {
        var summary = Summary("pool-audit/2026/11/20/x.md", 6, Linux, Arm) with { UntrackedInstances = 2, InstancesScanned = 1010, Pages = 3 };
        var builder = new HistoryBuilder(Type, new PoolAuditInput(), startTime: Start);
        var history = builder
            .ActivityCompleted("AuditPools", summary)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["AuditPools"], replay.ActivityTypes);
        var request = replay.Activities[0].Arg<PoolAuditRequest>();
        Assert.False(request.DryRun);
        Assert.Equal((builder.WorkflowId, builder.RunId), (request.WorkflowId, request.RunId));
        // A listing activity: it heartbeats per page, so a stuck attempt is retried within a minute.
        Assert.Equal(ActivityPolicies.SweepPage.HeartbeatTimeout, replay.Activities[0].Options.HeartbeatTimeout);
        var result = replay.Result<PoolAuditResult>();
        Assert.Equal(("pool-audit/2026/11/20/x.md", 6, 1010L, 2, 3), (result.ReportKey, result.MetricsPublished, result.InstancesScanned, result.UntrackedInstances, result.Pages));
        Assert.Equal(summary.Totals, result.Totals);
    }

    [Fact]
    public async Task A_failed_audit_fails_the_workflow_and_nothing_else_runs()
    {
        var history = new HistoryBuilder(Type, new PoolAuditInput(), startTime: Start)
            .ActivityFailed("AuditPools", "AwsServiceUnavailable", "Scan pools failed", nonRetryable: true)
            .WorkflowFailed("Activity task failed")
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["AuditPools"], replay.ActivityTypes);
        Assert.False(replay.Returned);
        Assert.NotNull(replay.WorkflowException);
    }

    [Fact]
    public async Task At_10000_pools_every_payload_in_the_history_stays_under_64_KB()
    {
        var many = Enumerable.Range(0, 10_000).Select(i => new PoolDefinition($"pool-{i:D5}", i % 2 == 0 ? "m5.large" : null, 2, 1)).ToArray();
        var summary = Summary("pool-audit/2026/11/20/x.md", 30_000, many) with { InstancesScanned = 1_000_000, Pages = 1_101 };
        var history = new HistoryBuilder(Type, new PoolAuditInput(), startTime: Start)
            .ActivityCompleted("AuditPools", summary)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        var converter = Temporalio.Converters.DataConverter.Default.PayloadConverter;
        var payloads = new List<(string What, int Bytes)>
        {
            ("input", converter.ToPayload(new PoolAuditInput()).Data.Length),
            ("activity input", converter.ToPayload(replay.Activities[0].Arg<PoolAuditRequest>()).Data.Length),
            ("activity result", converter.ToPayload(summary).Data.Length),
            ("workflow result", converter.ToPayload(replay.Result<PoolAuditResult>()).Data.Length),
        };
        Assert.All(payloads, p => Assert.InRange(p.Bytes, 1, 64 * 1024));
        // And none of them grows with the pools: the same audit at 10 pools differs only in the digits of its counts.
        var ten = converter.ToPayload(Summary("pool-audit/2026/11/20/x.md", 30, [.. many.Take(10)]) with { InstancesScanned = 1_000, Pages = 2 }).Data.Length;
        Assert.InRange(payloads[2].Bytes - ten, 0, 32);
        // Every event of the history, not only the ones named above.
        Assert.All(history.Events, e => Assert.InRange(e.CalculateSize(), 1, 64 * 1024));
    }

    internal static PoolAuditSummary Summary(string? key, int published, params PoolDefinition[] pools)
    {
        var rows = pools
            .Select(p => PoolCosts.Row(p, PoolCostsTests.Tally(p.Name, p.InstanceType ?? "c7g.xlarge", 1, 1, 1, 0, 1, stoppedGiB: 30), new InstancePrices(), 0.08m, 730))
            .ToList();
        return new PoolAuditSummary(key, PoolCosts.Totals(rows), 0, published);
    }
}
