using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Workflows.Sweeps.StaleSsm;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// Every call the benchmark makes into the StaleSsmSweep activities, in the workflow's order:
/// settings, then one batch-of-pages activity after another (the workflow's own totals record).
/// The one file to adapt when the activities change.
/// </summary>
internal static class StaleSsmSweepDriver
{
    /// <summary>The runner parameter prefix the sweep reads (the default setting).</summary>
    public static string ParameterPrefix => new StaleSsmSweepOptions().ParameterPrefix;

    /// <summary>Grace period of the sweep (the default setting), for the seed.</summary>
    public static TimeSpan Grace => TimeSpan.FromMinutes(new StaleSsmSweepOptions().GraceMinutes);

    /// <summary>Runs the sweep (not a dry run); returns the parameters deleted.</summary>
    public static async Task<long> RunAsync(SweepClients clients, SweepTarget target)
    {
        var activities = new StaleSsmSweepActivities(
            clients.Ssm,
            clients.Ec2,
            Options.Create(new StaleSsmSweepOptions()),
            new DiscardingMetricsSink(),
            NullLogger<StaleSsmSweepActivities>.Instance);

        var settings = await activities.PlanStaleSsmSweepAsync(null);
        var totals = new StaleSsmSweepResult
        {
            ParameterPrefix = settings.ParameterPrefix,
            GraceMinutes = settings.GraceMinutes,
            Now = target.Now,
        };
        string? nextToken = null;
        do
        {
            var page = await activities.SweepStaleParameterPageAsync(new StaleSsmSweepPageRequest
            {
                ParameterPrefix = settings.ParameterPrefix,
                PageSize = settings.PageSize,
                NextToken = nextToken,
                Now = target.Now,
                GraceMinutes = settings.GraceMinutes,
            });
            totals = totals.Add(page);
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        return totals.ParametersDeleted;
    }
}
