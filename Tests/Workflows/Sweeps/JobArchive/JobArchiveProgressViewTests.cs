using RunsFleet.Workflows.Sweeps;
using RunsFleet.Workflows.Sweeps.JobArchive;

namespace RunsFleet.Tests.Workflows.Sweeps.JobArchive;

/// <summary>JobArchiveResult.ToView: the totals carried across continue-as-new as the "progress" view.</summary>
public class JobArchiveProgressViewTests
{
    private static readonly JobArchiveResult Totals = new()
    {
        Runs = 2,
        Pages = 9,
        RecordsMatched = 1_000,
        RecordsDeleted = 997,
        RecordsSkipped = 4,
        UnprocessedCount = 3,
    };

    [Fact]
    public void Deleted_records_are_acted_on_and_unprocessed_ones_are_errors()
    {
        var view = Totals.ToView();

        Assert.Equal(("old_jobs", SweepPhases.Scanning, false, 2, 9), (view.Sweep, view.Phase, view.DryRun, view.Runs, view.PagesDone));
        Assert.Equal((1_004L, 997L, (long?)null, 3L), (view.Examined, view.ActedOn, view.ActTarget, view.Errors));
        Assert.Equal(["not_before_cutoff=4"], view.SkippedByReason.Select(r => $"{r.Key}={r.Value}"));
    }

    [Fact]
    public void A_dry_run_counts_the_matched_records_as_acted_on()
    {
        var view = (Totals with { DryRun = true, RecordsDeleted = 0, UnprocessedCount = 0 }).ToView();

        Assert.Equal((true, 1_000L, 0L), (view.DryRun, view.ActedOn, view.Errors));
    }
}
