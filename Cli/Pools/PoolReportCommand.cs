using RunsFleet.Hosting;
using System.CommandLine;
using System.Globalization;
using Amazon.S3;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Cli.Common;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Sweeps.PoolAudit;
using Spectre.Console;
using Temporalio.Client;

namespace RunsFleet.Cli.Pools;

/// <summary><c>pool report [--markdown]</c>: the newest completed PoolAudit run that wrote a report gives
/// the key; the report's JSON rows (written next to the markdown) become a table and two bar
/// charts (utilization, idle cost per pool). --markdown prints the stored markdown as is.</summary>
internal static class PoolReportCommand
{
    /// <summary>The bucket the worker writes reports to (the same variable as the worker's).</summary>
    public const string BucketVariable = "RUNS_FLEET_REPORT_BUCKET";

    public static Command Create(CliContext context)
    {
        var markdown = new Option<bool>("--markdown") { Description = "print the stored markdown report as is" };
        var report = new Command("report", "Show the latest pool audit: pools, utilization and idle cost") { markdown };
        report.SetAction((parse, ct) => RunAsync(context, CliApp.Output(parse, context), parse.GetValue(markdown), ct));
        return new Command("pool", "Pools: the audit report") { report };
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, bool markdown,
        CancellationToken cancellationToken)
    {
        var bucket = context.Variable(BucketVariable)
            ?? throw new CliException(ExitCodes.InvalidConfiguration,
                $"{BucketVariable} is not set: the bucket the worker writes pool audit reports to");
        var client = await context.ConnectTemporalAsync(cancellationToken).ConfigureAwait(false);
        var (run, key) = await LatestReportAsync(client, cancellationToken).ConfigureAwait(false);
        var s3 = context.S3();
        if (markdown)
        {
            output.Line((await ReadAsync(s3, bucket, key, cancellationToken).ConfigureAwait(false)).TrimEnd());
            return ExitCodes.Success;
        }

        var rowsKey = PoolAuditRowsDocument.KeyFor(key);
        string text;
        try
        {
            text = await ReadAsync(s3, bucket, rowsKey, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchKey")
        {
            throw new CliException(ExitCodes.NotFound,
                $"s3://{bucket}/{rowsKey} does not exist: the report was written before audits stored their rows as "
                + $"JSON; use --markdown", e);
        }

        var rows = PoolAuditRowsDocument.FromJson(text)
            ?? throw new CliException(ExitCodes.Failure,
                $"s3://{bucket}/{PoolAuditRowsDocument.KeyFor(key)} is not a pool audit rows document; use --markdown");
        if (output.IsJson)
        {
            output.WriteJson(new PoolReport(run.Id, run.RunId, key, rows));
            return ExitCodes.Success;
        }

        output.Line($"pool audit {rows.AuditTime.ToUniversalTime():yyyy-MM-dd HH:mm} UTC (run {run.Id} {run.RunId}), "
            + $"s3://{bucket}/{key}");
        PoolReportView.Write(output, rows);
        return ExitCodes.Success;
    }

    // The newest completed audit that uploaded a report: a dry run or one without a bucket has no key.
    private static async Task<(WorkflowExecution Run, string Key)> LatestReportAsync(ITemporalClient client,
        CancellationToken cancellationToken)
    {
        var type = SweepNames.WorkflowType(SweepKind.PoolAudit);
        var query = $"WorkflowType = {WorkflowRuns.Literal(type)} AND ExecutionStatus = 'Completed'";
        var (runs, _) = await WorkflowRuns.ListAsync(client, query, 20, cancellationToken).ConfigureAwait(false);
        foreach (var run in runs)
        {
            var result = await client.GetWorkflowHandle(run.Id, run.RunId)
                .GetResultAsync<PoolAuditResult>(followRuns: false,
                    new RpcOptions { CancellationToken = cancellationToken }).ConfigureAwait(false);
            if (result.ReportKey is { } key)
            {
                return (run, key);
            }
        }

        throw new CliException(ExitCodes.NotFound,
            $"no completed pool audit wrote a report ({query}, the newest {runs.Count} read)");
    }

    private static async Task<string> ReadAsync(IAmazonS3 s3, string bucket, string key,
        CancellationToken cancellationToken)
    {
        using var response = await s3.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The JSON answer of <c>pool report</c>.</summary>
internal sealed record PoolReport(string WorkflowId, string RunId, string ReportKey, PoolAuditRowsDocument Report);

/// <summary>The report as a table of pools and two bar charts.</summary>
internal static class PoolReportView
{
    public static void Write(CliOutput output, PoolAuditRowsDocument report)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        var table = output.Table(
            "pool", "instance type", "running types", "running", "stopped", "idle", "assigned", "utilization",
                "idle $/h", "compute $");
        foreach (var row in report.Rows)
        {
            // No instance_type: a flexible pool; its running instances are priced by their own types.
            table.AddRow(
                Markup.Escape(row.Pool), Markup.Escape(row.InstanceType ?? "flexible"),
                    Markup.Escape(Types(row.RunningTypes)),
                Text(row.Running), Text(row.Stopped), Text(row.Idle), Text(row.Assigned),
                Sweeps.SweepResults.Percent(row.Utilization), Money(row.IdleCostPerHour), Money(row.ComputeCost));
        }

        var totals = report.Totals;
        table.AddRow("total", string.Empty, string.Empty, Text(totals.Running), Text(totals.Stopped), Text(totals.Idle),
            Text(totals.Assigned),
            Sweeps.SweepResults.Percent(totals.Utilization), Money(totals.IdleCostPerHour), Money(totals.ComputeCost));
        output.Render(table);

        var utilization = new BarChart().Label("utilization (%)").Width(80).WithMaxValue(100);
        var idle = new BarChart().Label("idle cost ($/h)").Width(80);
        foreach (var row in report.Rows)
        {
            utilization.AddItem(Markup.Escape(row.Pool), Math.Round((row.Utilization ?? 0) * 100, 1), Color.Green);
            idle.AddItem(Markup.Escape(row.Pool), (double)(row.IdleCostPerHour ?? 0), Color.Yellow);
        }

        output.Render(utilization);
        output.Render(idle);
        // Reports written before idle cost came from EC2's volumes may lack it.
        var unpriced = report.Rows.Where(r => r.IdleCostPerHour is null).Select(r => r.Pool).ToList();
        if (unpriced.Count > 0)
        {
            output.Line($"idle cost unknown (charted as 0): {string.Join(", ", unpriced)}");
        }

        var uncomputed = report.Rows.Where(r => r.ComputeCost is null).Select(r => r.Pool).ToList();
        if (uncomputed.Count > 0)
        {
            output.Line($"compute cost unknown (a running instance type without a price, see --markdown): "
                + $"{string.Join(", ", uncomputed)}");
        }

        if (report.UntrackedInstances > 0)
        {
            output.Line($"{report.UntrackedInstances} instance(s) carry the pool tag of a pool missing from the pools "
                + $"table");
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    // "4 m7g.large, 1 c7g.xlarge"; reports written before the types were recorded have none.
    private static string Types(IReadOnlyList<TypeCost>? types) =>
        types is { Count: > 0 } ? string.Join(", ", types.Select(t => Text(t.Running) + " " + t.InstanceType)) : "-";

    private static string Money(decimal? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "unknown";
}
