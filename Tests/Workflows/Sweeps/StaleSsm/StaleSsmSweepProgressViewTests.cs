using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.StaleSsm;

namespace RunsFleet.Tests.Workflows.Sweeps.StaleSsm;

/// <summary>StaleSsmSweepResult.ToView: the totals carried across continue-as-new as the "progress" view.</summary>
public class StaleSsmSweepProgressViewTests
{
    private static readonly StaleSsmSweepResult Totals = new()
    {
        Runs = 3,
        Pages = 7,
        ParametersListed = 350,
        StaleParameters = 40,
        ParametersDeleted = 38,
        AlreadyGone = 2,
        KeptYoung = 5,
        KeptInstanceAlive = 300,
        KeptNoTimestamp = 1,
        Unparseable = 4,
    };

    [Fact]
    public void Deleted_parameters_are_acted_on_and_every_keep_reason_is_a_skip()
    {
        var view = Totals.ToView();

        Assert.Equal(("stale_ssm", SweepPhases.Scanning, false, 3, 7), (view.Sweep, view.Phase, view.DryRun, view.Runs, view.PagesDone));
        Assert.Equal((350L, 38L, (long?)null, 0L), (view.Examined, view.ActedOn, view.ActTarget, view.Errors));
        Assert.Equal(
            ["young=5", "instance_alive=300", "no_timestamp=1", "unparseable=4", "already_gone=2"],
            view.SkippedByReason.Select(r => $"{r.Key}={r.Value}"));
    }

    [Fact]
    public void A_dry_run_counts_the_stale_parameters_as_acted_on()
    {
        var view = (Totals with { DryRun = true, ParametersDeleted = 0, AlreadyGone = 0 }).ToView();

        Assert.Equal((true, 40L), (view.DryRun, view.ActedOn));
    }
}
