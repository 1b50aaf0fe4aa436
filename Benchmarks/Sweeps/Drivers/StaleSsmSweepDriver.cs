using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Workflows.Sweeps.StaleSsm;

namespace RunsFleet.Benchmarks.Sweeps.Drivers;

/// <summary>
/// StaleSsmSweep's steps: settings, then one batch-of-pages activity after another into the
/// workflow's totals record (each page deletes its stale parameters: no act step).
/// </summary>
internal static class StaleSsmSweepDriver
{
    /// <summary>Over the benchmark's clients, not a dry run; the outcome is the parameters deleted.</summary>
    public static SweepDriver<StaleSsmSweepSettings, (StaleSsmSweepResult Totals, string? NextToken)> For(
        SweepClients clients, SweepTarget target)
    {
        var activities = new StaleSsmSweepActivities(
            clients.Ssm,
            clients.Ec2,
            Options.Create(new StaleSsmSweepOptions()),
            new DiscardingMetricsSink(),
            NullLogger<StaleSsmSweepActivities>.Instance);
        return new(
            () => activities.GetStaleSsmSettingsAsync(null),
            settings => (new StaleSsmSweepResult
            {
                ParameterPrefix = settings.ParameterPrefix,
                GraceMinutes = settings.GraceMinutes,
                Now = target.Now,
            }, null),
            scan => scan.Totals.Pages > 0 && scan.NextToken is null,
            async (settings, scan) =>
            {
                var page = await activities.SweepStaleParameterPageAsync(new StaleSsmSweepPageRequest
                {
                    ParameterPrefix = settings.ParameterPrefix,
                    PageSize = settings.PageSize,
                    NextToken = scan.NextToken,
                    Now = target.Now,
                    GraceMinutes = settings.GraceMinutes,
                });
                return (scan.Totals.Add(page), page.NextToken);
            },
            (_, scan) => Task.FromResult<long>(scan.Totals.ParametersDeleted));
    }
}
