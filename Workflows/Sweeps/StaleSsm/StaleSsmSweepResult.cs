using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Workflows.Sweeps.StaleSsm;

/// <summary>Outcome of a StaleSsmSweep, totalled over every page and every continued run. Name lists
/// are capped at <see cref="MaxReportedNames"/> so a huge sweep still returns a small result;
/// the counts are always complete.</summary>
public sealed record StaleSsmSweepResult
{
    /// <summary>Most names each list reports.</summary>
    public const int MaxReportedNames = 100;

    public bool DryRun { get; init; }

    public string ParameterPrefix { get; init; } = string.Empty;

    public int GraceMinutes { get; init; }

    /// <summary>The sweep's "now": ages were measured against it on every page and run.</summary>
    public DateTimeOffset Now { get; init; }

    /// <summary>DescribeParameters pages processed.</summary>
    public int Pages { get; init; }

    /// <summary>Workflow runs the sweep took (1 + continue-as-new count).</summary>
    public int Runs { get; init; } = 1;

    public long ParametersListed { get; init; }

    /// <summary>Parameters judged stale (in a dry run: the ones that would be deleted).</summary>
    public long StaleParameters { get; init; }

    /// <summary>Parameters this sweep deleted (0 in a dry run).</summary>
    public long ParametersDeleted { get; init; }

    /// <summary>Stale parameters that were already gone when the sweep deleted them.</summary>
    public long AlreadyGone { get; init; }

    public long KeptYoung { get; init; }

    public long KeptInstanceAlive { get; init; }

    public long KeptNoTimestamp { get; init; }

    public long Unparseable { get; init; }

    /// <summary>The first stale names (deleted, or to be deleted in a dry run).</summary>
    public IReadOnlyList<string> StaleNames { get; init; } = [];

    /// <summary>The first names without an instance id; left alone.</summary>
    public IReadOnlyList<string> UnparseableNames { get; init; } = [];

    /// <summary>Adds one batch's outcome. Results recorded before batching (still in the histories of
    /// sweeps running across the upgrade) read one page and carry their full name lists
    /// instead of counts, hence the fallbacks.</summary>
    public StaleSsmSweepResult Add(StaleSsmSweepPageResult page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return this with
        {
            Pages = Pages + Math.Max(1, page.Pages), ParametersListed = ParametersListed + page.Listed,
            StaleParameters = StaleParameters + Math.Max(page.Stale, page.StaleNames.Count),
            ParametersDeleted = ParametersDeleted + page.Deleted, AlreadyGone = AlreadyGone + page.AlreadyGone,
            KeptYoung = KeptYoung + page.KeptYoung, KeptInstanceAlive = KeptInstanceAlive + page.KeptInstanceAlive,
            KeptNoTimestamp = KeptNoTimestamp + page.KeptNoTimestamp,
            Unparseable = Unparseable + Math.Max(page.Unparseable, page.UnparseableNames.Count),
            StaleNames = Capped(StaleNames, page.StaleNames),
            UnparseableNames = Capped(UnparseableNames, page.UnparseableNames),
        };
    }

    /// <summary>The totals so far as the sweep's progress view (phase scanning: each page lists, judges and
    /// deletes, so there is no separate acting phase and no target). Deleting is acting (in a dry
    /// run: the stale ones). A failed delete fails its page, so the view has no per-item errors.</summary>
    public SweepProgressView ToView() => new()
    {
        Sweep = SweepNames.TaskType(SweepKind.StaleSsm), Phase = SweepPhases.Scanning, DryRun = DryRun, Runs = Runs,
        PagesDone = Pages, Examined = ParametersListed, ActedOn = DryRun ? StaleParameters : ParametersDeleted,
        ActTarget = null,
        SkippedByReason = SweepProgress.Reasons(
            ("young", KeptYoung),
            ("instance_alive", KeptInstanceAlive),
            ("no_timestamp", KeptNoTimestamp),
            ("unparseable", Unparseable),
            ("already_gone", AlreadyGone)),
        Errors = 0,
    };

    private static IReadOnlyList<string> Capped(IReadOnlyList<string> first, IReadOnlyList<string> more) =>
        first.Count >= MaxReportedNames ? first : [.. first.Concat(more).Take(MaxReportedNames)];
}
