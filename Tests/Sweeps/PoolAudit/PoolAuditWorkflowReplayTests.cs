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
    public async Task Dry_run_returns_the_report_without_upload_or_metrics()
    {
        var report = Report(Linux);
        var history = new HistoryBuilder(Type, new PoolAuditInput { DryRun = true }, startTime: Start)
            .ActivityCompleted("PlanPoolAudit", Plan(upload: true))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([Linux], null))
            .ActivityCompleted("CountPoolInstancesPage", new PoolInstancesPage(null, 3, [new PoolTally("linux", 2, 1, 1, 1, 0, 4)], 0))
            .ActivityCompleted("BuildPoolAuditReport", report)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanPoolAudit", "ReadPoolsPage", "CountPoolInstancesPage", "BuildPoolAuditReport"], replay.ActivityTypes);
        Assert.InRange(replay.Activities[0].Arg<PoolAuditPlanRequest>().AuditTime, Start, Start.AddSeconds(1));
        var build = replay.Activities[3].Arg<PoolAuditReportRequest>();
        Assert.Equal([Linux], build.Pools);
        Assert.Equal([new PoolTally("linux", 2, 1, 1, 1, 0, 4)], build.Tallies);
        var result = replay.Result<PoolAuditResult>();
        Assert.True(result.DryRun);
        Assert.Null(result.ReportKey);
        Assert.Equal(0, result.MetricsPublished);
        Assert.Equal(report.Markdown, result.Report.Markdown);
    }

    [Fact]
    public async Task A_real_run_uploads_the_report_under_the_run_and_publishes_metrics()
    {
        var report = Report(Linux, Arm);
        var builder = new HistoryBuilder(Type, new PoolAuditInput(), startTime: Start);
        var history = builder
            .ActivityCompleted("PlanPoolAudit", Plan(upload: true))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([Linux, Arm], null))
            .ActivityCompleted("CountPoolInstancesPage", new PoolInstancesPage("t1", 1000, [new PoolTally("linux", 10, 0, 5, 5, 0, 10)], 2))
            .ActivityCompleted("CountPoolInstancesPage", new PoolInstancesPage(null, 10, [new PoolTally("linux", 1, 1, 0, 1, 0, 1), new PoolTally("arm", 1, 0, 1, 0, 0, 2)], 0))
            .ActivityCompleted("BuildPoolAuditReport", report)
            .ActivityCompleted("UploadPoolAuditReport", "pool-audit/2026/11/20/x.md")
            .ActivityCompleted("PublishPoolAuditMetrics", 6)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal(
            ["PlanPoolAudit", "ReadPoolsPage", "CountPoolInstancesPage", "CountPoolInstancesPage", "BuildPoolAuditReport", "UploadPoolAuditReport", "PublishPoolAuditMetrics"],
            replay.ActivityTypes);
        var secondPage = replay.Activities[3].Arg<PoolInstancesPageRequest>();
        Assert.Equal(("t1", 1000), (secondPage.NextToken, secondPage.PageSize));
        Assert.Equal(["linux", "arm"], secondPage.PoolNames);
        var build = replay.Activities[4].Arg<PoolAuditReportRequest>();
        Assert.Equal([new PoolTally("linux", 11, 1, 5, 6, 0, 11), new PoolTally("arm", 1, 0, 1, 0, 0, 2)], build.Tallies);
        Assert.Equal(2, build.UntrackedInstances);
        var upload = replay.Activities[5].Arg<PoolAuditUploadRequest>();
        Assert.Equal(report.Markdown, upload.Markdown);
        Assert.Equal(builder.WorkflowId, upload.WorkflowId);
        Assert.Equal(builder.RunId, upload.RunId);
        Assert.Equal(2, replay.Activities[6].Arg<IReadOnlyList<PoolAuditRow>>().Count);
        var result = replay.Result<PoolAuditResult>();
        Assert.Equal(("pool-audit/2026/11/20/x.md", 6, 1010L), (result.ReportKey, result.MetricsPublished, result.InstancesScanned));
    }

    [Fact]
    public async Task Without_a_configured_bucket_there_is_no_upload_step()
    {
        var history = new HistoryBuilder(Type, new PoolAuditInput(), startTime: Start)
            .ActivityCompleted("PlanPoolAudit", Plan(upload: false))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([Linux], null))
            .ActivityCompleted("CountPoolInstancesPage", new PoolInstancesPage(null, 0, [], 0))
            .ActivityCompleted("BuildPoolAuditReport", Report(Linux))
            .ActivityCompleted("PublishPoolAuditMetrics", 2)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.DoesNotContain("UploadPoolAuditReport", replay.ActivityTypes);
        Assert.Null(replay.Result<PoolAuditResult>().ReportKey);
    }

    [Fact]
    public async Task No_pools_means_no_instance_listing_and_no_metrics()
    {
        var empty = new PoolAuditReport(Start, [], PoolCosts.Totals([]), 0, PoolAuditMarkdown.Render(Start, [], PoolCosts.Totals([]), 0));
        var history = new HistoryBuilder(Type, new PoolAuditInput(), startTime: Start)
            .ActivityCompleted("PlanPoolAudit", Plan(upload: false))
            .ActivityCompleted("ReadPoolsPage", new PoolsPage([], null))
            .ActivityCompleted("BuildPoolAuditReport", empty)
            .WorkflowCompleted(null)
            .Build();

        var replay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(history)).EnsureReplayed();

        Assert.Equal(["PlanPoolAudit", "ReadPoolsPage", "BuildPoolAuditReport"], replay.ActivityTypes);
        Assert.Contains("No pools are defined", replay.Result<PoolAuditResult>().Report.Markdown, StringComparison.Ordinal);
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
            .ActivityCompleted("BuildPoolAuditReport", Report(Linux, Arm))
            .ActivityCompleted("PublishPoolAuditMetrics", 5)
            .WorkflowCompleted(null)
            .Build();

        var secondReplay = (await ReplayHarness.ReplayAsync<PoolAuditWorkflow>(second)).EnsureReplayed();

        Assert.Equal(["CountPoolInstancesPage", "BuildPoolAuditReport", "PublishPoolAuditMetrics"], secondReplay.ActivityTypes);
        Assert.Equal(Start, secondReplay.Activities[0].Arg<PoolInstancesPageRequest>().AuditTime);
        Assert.Equal(Start, secondReplay.Activities[1].Arg<PoolAuditReportRequest>().AuditTime);
        Assert.Equal((3, 2), (secondReplay.Result<PoolAuditResult>().Pages, secondReplay.Result<PoolAuditResult>().Runs));
    }

    private static PoolAuditPlan Plan(bool upload, int pagesPerRun = 10) => new(Start, pagesPerRun, 100, 1000, upload);

    private static PoolAuditReport Report(params PoolDefinition[] pools)
    {
        var rows = pools.Select(p => PoolCosts.Row(p, new PoolTally(p.Name, 1, 1, 1, 0, 0, 1), new InstancePrices(), 0.10m, 730)).ToList();
        var totals = PoolCosts.Totals(rows);
        return new PoolAuditReport(Start, rows, totals, 0, PoolAuditMarkdown.Render(Start, rows, totals, 0));
    }
}
