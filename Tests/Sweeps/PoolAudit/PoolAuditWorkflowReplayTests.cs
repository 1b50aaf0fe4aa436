using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.PoolAudit;

namespace RunsFleet.Tests.Sweeps.PoolAudit;

public class PoolAuditWorkflowReplayTests
{
    private const string Type = SweepWorkflowTypes.PoolAudit;
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly PoolDefinition Linux = new("linux", "m5.large", 2, 1, 30);
    private static readonly PoolDefinition Arm = new("arm", "c7g.xlarge", 1, 1, 30);

    [Fact]
    public async Task Dry_run_asks_the_report_activity_for_a_dry_run_and_returns_its_totals()
    {
        var summary = Summary(null, 0, Linux);
        var history = new HistoryBuilder(Type, new PoolAuditInput { DryRun = true }, startTime: Start)
            .ActivityCompleted("PlanPoolAudit", Plan(upload: true))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([Linux], null))
            .ActivityCompleted("CountPoolInstancesPage", new PoolInstancesPage(null, 3, [new PoolTally("linux", 2, 1, 1, 1, 0, 4)], 0))
            .ActivityCompleted("PublishPoolAuditReport", summary)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanPoolAudit", "ReadPoolsPage", "CountPoolInstancesPage", "PublishPoolAuditReport"], replay.ActivityTypes);
        Assert.InRange(replay.Activities[0].Arg<PoolAuditPlanRequest>().AuditTime, Start, Start.AddSeconds(1));
        var publish = replay.Activities[3].Arg<PoolAuditPublishRequest>();
        Assert.True(publish.DryRun);
        Assert.Equal([Linux], publish.Pools);
        Assert.Equal([new PoolTally("linux", 2, 1, 1, 1, 0, 4)], publish.Tallies);
        var result = replay.Result<PoolAuditResult>();
        Assert.True(result.DryRun);
        Assert.Null(result.ReportKey);
        Assert.Equal(0, result.MetricsPublished);
        Assert.Equal(summary.Totals, result.Totals);
    }

    [Fact]
    public async Task A_real_run_has_one_activity_build_upload_and_publish_the_report_under_the_run()
    {
        var summary = Summary("pool-audit/2026/11/20/x.md", 6, Linux, Arm) with { UntrackedInstances = 2 };
        var builder = new HistoryBuilder(Type, new PoolAuditInput(), startTime: Start);
        var history = builder
            .ActivityCompleted("PlanPoolAudit", Plan(upload: true))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([Linux, Arm], null))
            .ActivityCompleted("CountPoolInstancesPage", new PoolInstancesPage("t1", 1000, [new PoolTally("linux", 10, 0, 5, 5, 0, 10)], 2))
            .ActivityCompleted("CountPoolInstancesPage", new PoolInstancesPage(null, 10, [new PoolTally("linux", 1, 1, 0, 1, 0, 1), new PoolTally("arm", 1, 0, 1, 0, 0, 2)], 0))
            .ActivityCompleted("PublishPoolAuditReport", summary)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal(
            ["PlanPoolAudit", "ReadPoolsPage", "CountPoolInstancesPage", "CountPoolInstancesPage", "PublishPoolAuditReport"],
            replay.ActivityTypes);
        var secondPage = replay.Activities[3].Arg<PoolInstancesPageRequest>();
        Assert.Equal(("t1", 1000), (secondPage.NextToken, secondPage.PageSize));
        Assert.Equal(["linux", "arm"], secondPage.PoolNames);
        var publish = replay.Activities[4].Arg<PoolAuditPublishRequest>();
        Assert.Equal([new PoolTally("linux", 11, 1, 5, 6, 0, 11), new PoolTally("arm", 1, 0, 1, 0, 0, 2)], publish.Tallies);
        Assert.Equal(2, publish.UntrackedInstances);
        Assert.False(publish.DryRun);
        Assert.Equal((builder.WorkflowId, builder.RunId), (publish.WorkflowId, publish.RunId));
        var result = replay.Result<PoolAuditResult>();
        Assert.Equal(("pool-audit/2026/11/20/x.md", 6, 1010L, 2), (result.ReportKey, result.MetricsPublished, result.InstancesScanned, result.UntrackedInstances));
        Assert.Equal(summary.Totals, result.Totals);
    }

    [Fact]
    public async Task Without_a_configured_bucket_the_result_has_no_key()
    {
        var history = new HistoryBuilder(Type, new PoolAuditInput(), startTime: Start)
            .ActivityCompleted("PlanPoolAudit", Plan(upload: false))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([Linux], null))
            .ActivityCompleted("CountPoolInstancesPage", new PoolInstancesPage(null, 0, [], 0))
            .ActivityCompleted("PublishPoolAuditReport", Summary(null, 2, Linux))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal("PublishPoolAuditReport", replay.ActivityTypes[^1]);
        Assert.Null(replay.Result<PoolAuditResult>().ReportKey);
        Assert.Equal(2, replay.Result<PoolAuditResult>().MetricsPublished);
    }

    [Fact]
    public async Task No_pools_means_no_instance_listing()
    {
        var history = new HistoryBuilder(Type, new PoolAuditInput(), startTime: Start)
            .ActivityCompleted("PlanPoolAudit", Plan(upload: false))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([], null))
            .ActivityCompleted("PublishPoolAuditReport", Summary(null, 0))
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanPoolAudit", "ReadPoolsPage", "PublishPoolAuditReport"], replay.ActivityTypes);
        Assert.Empty(replay.Activities[2].Arg<PoolAuditPublishRequest>().Pools);
        Assert.Equal(0, replay.Result<PoolAuditResult>().Totals.Pools);
    }

    [Fact]
    public async Task Continues_as_new_after_the_page_budget_and_resumes_where_it_stopped()
    {
        var input = new PoolAuditInput { PagesPerRun = 2 };
        var first = new HistoryBuilder(Type, input, startTime: Start)
            .ActivityCompleted("PlanPoolAudit", Plan(upload: false, pagesPerRun: 2))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([Linux], "linux"))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([Arm], null))
            .ContinuedAsNew(Type, null)
            .Build();

        var firstReplay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(first)).EnsureReplayed();

        Assert.Equal("linux", firstReplay.Activities[2].Arg<PoolsPageRequest>().StartAfterPool);
        var next = firstReplay.ContinuedAsNew!.Arg<PoolAuditInput>();
        Assert.Equal((2, 2, true), (next.Progress!.Runs, next.Progress.Pages, next.Progress.PoolsDone));
        Assert.Equal([Linux, Arm], next.Progress.Pools);

        var second = new HistoryBuilder(Type, next, startTime: Start.AddMinutes(5))
            .ActivityCompleted("CountPoolInstancesPage", new PoolInstancesPage(null, 2, [new PoolTally("arm", 1, 1, 1, 0, 0, 3)], 0))
            .ActivityCompleted("PublishPoolAuditReport", Summary(null, 5, Linux, Arm))
            .WorkflowCompleted(null)
            .Build();

        var secondReplay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(second)).EnsureReplayed();

        Assert.Equal(["CountPoolInstancesPage", "PublishPoolAuditReport"], secondReplay.ActivityTypes);
        Assert.Equal(Start, secondReplay.Activities[0].Arg<PoolInstancesPageRequest>().AuditTime);
        Assert.Equal(Start, secondReplay.Activities[1].Arg<PoolAuditPublishRequest>().AuditTime);
        Assert.Equal((3, 2), (secondReplay.Result<PoolAuditResult>().Pages, secondReplay.Result<PoolAuditResult>().Runs));
    }

    [Fact]
    public void The_result_payload_does_not_grow_with_the_pools()
    {
        var converter = Temporalio.Converters.DataConverter.Default.PayloadConverter;
        int Size(int pools)
        {
            var many = Enumerable.Range(0, pools).Select(i => new PoolDefinition($"pool-{i:D5}", "m5.large", 2, 1, 30)).ToArray();
            var summary = Summary("pool-audit/2026/11/20/x.md", 3 * pools, many);
            return converter.ToPayload(new PoolAuditResult(false, summary.ReportKey, summary.Totals, 0, summary.MetricsPublished, 3L * pools, 12, 1)).Data.Length;
        }

        var ten = Size(10);
        var tenThousand = Size(10_000);

        Assert.InRange(tenThousand, 1, 1024);
        Assert.InRange(tenThousand - ten, 0, 32); // only the digits of the counts grow
    }

    private static PoolAuditPlan Plan(bool upload, int pagesPerRun = 10) => new(Start, pagesPerRun, 100, 1000, upload);

    private static PoolAuditSummary Summary(string? key, int published, params PoolDefinition[] pools)
    {
        var rows = pools.Select(p => PoolCosts.Row(p, new PoolTally(p.Name, 1, 1, 1, 0, 0, 1), new InstancePrices(), 0.10m, 730)).ToList();
        return new PoolAuditSummary(key, PoolCosts.Totals(rows), 0, published);
    }
}
