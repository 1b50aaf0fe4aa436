using System.Text.Json;
using Amazon.S3.Model;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Cli.Pools;
using RunsFleet.Contracts.Sweeps.PoolAudit;
using RunsFleet.Hosting;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Tests.Support;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps.PoolAudit;

namespace RunsFleet.Tests.Cli.Pools;

public class PoolReportCommandTests(FauxqsFixture fauxqs) : IClassFixture<FauxqsFixture>
{
    private static readonly DateTimeOffset AuditTime = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static readonly PoolAuditTotals Totals = new()
    {
        Pools = 2,
        Running = 5,
        Stopped = 2,
        Idle = 3,
        Assigned = 2,
        IdleCostPerHour = 0.02m,
        ComputeCost = 1.44m,
        Utilization = 2.0 / 7,
        UnpricedPools = 1,
    };

    private static PoolAuditRowsDocument Rows() => new(
        AuditTime,
        [
            new PoolAuditRow
            {
                Pool = "linux-arm",
                InstanceType = "m7g.large",
                DesiredRunning = 4,
                DesiredStopped = 1,
                Running = 4,
                Stopped = 1,
                Idle = 2,
                Assigned = 2,
                LookupFailed = 0,
                UptimeHours = 6,
                StoppedVolumeGiB = 182,
                RunningTypes = [new("m7g.large", 4, 6, 0.24m, 1.44m)],
                IdleCostPerHour = 0.02m,
                ComputeCost = 1.44m,
                Utilization = 0.4,
                Notes = [],
            },
            new PoolAuditRow
            {
                Pool = "windows",
                InstanceType = null,
                DesiredRunning = 1,
                DesiredStopped = 1,
                Running = 1,
                Stopped = 1,
                Idle = 1,
                Assigned = 0,
                LookupFailed = 0,
                UptimeHours = 3,
                StoppedVolumeGiB = 30,
                RunningTypes = [new("x9.custom", 1, 3, null, null)],
                IdleCostPerHour = 0.0033m,
                ComputeCost = null,
                Utilization = 0,
                Notes = ["no price for x9.custom"],
            },
        ],
        Totals,
        1);

    private static FakeTemporalClient Audits(string? key)
    {
        var temporal = new FakeTemporalClient();
        // The newest completed audit was a dry run (no key); the one before wrote the report.
        var dry = new PoolAuditResult(true, null, Totals, 1, 0, 7, 2);
        var real = new PoolAuditResult(false, key, Totals, 1, 6, 7, 2);
        temporal.Add(new FakeWorkflow("sweep-pool-audit", "run-dry", "PoolAudit",
            new HistoryBuilder("PoolAudit", new PoolAuditInput { DryRun = true }, "sweep-pool-audit", startTime: AuditTime.AddHours(1)).WorkflowCompleted(dry).Build().Events));
        temporal.Add(new FakeWorkflow("sweep-pool-audit-2026-11-20T09:00:00Z", "run-real", "PoolAudit",
            new HistoryBuilder("PoolAudit", new PoolAuditInput(), "sweep-pool-audit-2026-11-20T09:00:00Z", startTime: AuditTime).WorkflowCompleted(real).Build().Events));
        return temporal;
    }

    private async Task<(string Bucket, string Key)> StoreAsync(string bucketName, bool withRows)
    {
        var bucket = await fauxqs.CreateBucketAsync(bucketName);
        var key = PoolAuditReportKey.For("pool-audit", AuditTime, "sweep-pool-audit-2026-11-20T09:00:00Z", "run-real");
        using var s3 = fauxqs.CreateS3Client();
        if (withRows)
        {
            await s3.PutObjectAsync(Rows().PutRequest(bucket, key));
        }

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "# Pool audit 2026-11-20 09:00 UTC\n\n| Pool | ... |\n" });
        return (bucket, key);
    }

    [Fact]
    public async Task Report_reads_the_latest_audits_rows_from_s3_and_draws_a_table_and_two_bar_charts()
    {
        var (bucket, key) = await StoreAsync("cli-pool-report", withRows: true);
        using var s3 = fauxqs.CreateS3Client();
        var harness = new CliHarness { Temporal = Audits(key), S3 = s3, Environment = { [PoolReportCommand.BucketVariable] = bucket } };

        var run = await harness.RunAsync("pool", "report");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.StartsWith($"pool audit 2026-11-20 09:00 UTC (run sweep-pool-audit-2026-11-20T09:00:00Z run-real), s3://{bucket}/{key}", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"\| linux-arm +\| m7g\.large +\| 4 m7g\.large +\| 4 +\| 1 +\| 2 +\| 2 +\| 40\.0% +\| 0\.0200 +\| 1\.4400 +\|", run.Output);
        Assert.Matches(@"\| windows +\| flexible +\| 1 x9\.custom +\| 1 +\| 1 +\| 1 +\| 0 +\| 0\.0% +\| 0\.0033 +\| unknown +\|", run.Output);
        Assert.Matches(@"\| total +\| +\| +\| 5 +\| 2 +\| 3 +\| 2 +\| 28\.6% +\|", run.Output);
        Assert.Contains("utilization (%)", run.Output, StringComparison.Ordinal);
        Assert.Contains("idle cost ($/h)", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"linux-arm +█{24} 40\s", run.Output);
        Assert.Matches(@"linux-arm +█{64} 0\.02\s", run.Output);
        Assert.Contains("compute cost unknown (a running instance type without a price, see --markdown): windows", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("idle cost unknown", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_prints_the_stored_report_as_is_and_json_gives_the_rows()
    {
        var (bucket, key) = await StoreAsync("cli-pool-report-md", withRows: true);
        using var s3 = fauxqs.CreateS3Client();
        var harness = new CliHarness { Temporal = Audits(key), S3 = s3, Environment = { [PoolReportCommand.BucketVariable] = bucket } };

        var markdown = await harness.RunAsync("pool", "report", "--markdown");
        var json = await harness.RunAsync("pool", "report", "--output", "json");

        Assert.Equal("# Pool audit 2026-11-20 09:00 UTC\n\n| Pool | ... |\n", markdown.Output.ReplaceLineEndings("\n"));
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal(key, document.RootElement.GetProperty("reportKey").GetString());
        Assert.Equal(["linux-arm", "windows"], document.RootElement.GetProperty("report").GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("pool").GetString()));
    }

    [Fact]
    public async Task A_report_stored_before_its_rows_exits_3_pointing_at_markdown_and_no_audit_exits_3()
    {
        var (bucket, key) = await StoreAsync("cli-pool-report-old", withRows: false);
        using var s3 = fauxqs.CreateS3Client();
        var old = await new CliHarness { Temporal = Audits(key), S3 = s3, Environment = { [PoolReportCommand.BucketVariable] = bucket } }.RunAsync("pool", "report");
        var none = await new CliHarness { Temporal = Audits(null), S3 = s3, Environment = { [PoolReportCommand.BucketVariable] = bucket } }.RunAsync("pool", "report");
        var unset = await new CliHarness { Temporal = Audits(key), S3 = s3 }.RunAsync("pool", "report");

        Assert.Equal(ExitCodes.NotFound, old.ExitCode);
        Assert.EndsWith("use --markdown", old.Error.Trim(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, none.ExitCode);
        Assert.Contains("no completed pool audit wrote a report", none.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.InvalidConfiguration, unset.ExitCode);
    }

    [Fact]
    public async Task Rows_written_before_volumes_and_types_came_from_ec2_still_render()
    {
        // A rows document of the earlier shape: ebs_volume_gb and one hourly price per pool, no running types.
        const string Earlier = """
            {"auditTime":"2026-11-20T09:00:00+00:00","rows":[{"pool":"linux","instanceType":"m5.large","desiredRunning":2,
            "desiredStopped":1,"ebsVolumeGb":30,"running":2,"stopped":1,"idle":1,"assigned":1,"lookupFailed":0,"uptimeHours":4,
            "hourlyPrice":0.096,"idleCostPerHour":null,"computeCost":0.384,"utilization":0.3333,"notes":["no ebs_volume_gb"]}],
            "totals":{"pools":1,"running":2,"stopped":1,"idle":1,"assigned":1,"idleCostPerHour":0,"computeCost":0.384,
            "utilization":0.3333,"unpricedPools":1},"untrackedInstances":0}
            """;
        var bucket = await fauxqs.CreateBucketAsync("cli-pool-report-earlier");
        var key = PoolAuditReportKey.For("pool-audit", AuditTime, "sweep-pool-audit-2026-11-20T09:00:00Z", "run-real");
        using var s3 = fauxqs.CreateS3Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = PoolAuditRowsDocument.KeyFor(key), ContentBody = Earlier });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "# Pool audit" });

        var run = await new CliHarness { Temporal = Audits(key), S3 = s3, Environment = { [PoolReportCommand.BucketVariable] = bucket } }.RunAsync("pool", "report");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Matches(@"\| linux +\| m5\.large +\| - +\| 2 +\| 1 +\| 1 +\| 1 +\| 33\.3% +\| unknown +\| 0\.3840 +\|", run.Output);
        Assert.Contains("idle cost unknown (charted as 0): linux", run.Output, StringComparison.Ordinal);
    }
}
