using RunsFleet.Activities.Sweeps;
using System.Globalization;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Workflows.Sweeps;

/// <summary>Pure helpers every sweep's progress mapping shares: the first view, the move into the
/// acting phase and the one-line text of Temporal's current details. Deterministic (no clock,
/// invariant culture), so workflow code may call them.</summary>
internal static class SweepProgress
{
    /// <summary>The skip reason of items found but left alone because there were more than the cap.</summary>
    public const string CapReached = "cap_reached";

    /// <summary>The skip reason of items left alone because EC2 knew none of the instances looked up.</summary>
    public const string InstancesUnknown = "instances_unknown";

    /// <summary>A sweep that has not read anything yet: reading its settings, first run.</summary>
    public static SweepProgressView Planning(SweepKind kind, bool dryRun) =>
        new()
        {
            Sweep = SweepNames.TaskType(kind), Phase = SweepPhases.Planning, DryRun = dryRun, Runs = 1,
            PagesDone = 0, Examined = 0, ActedOn = 0, ActTarget = null,
            SkippedByReason = new Dictionary<string, long>(), Errors = 0,
        };

    /// <summary>The skipped-by-reason map of a view: every reason named, zeros included, in the order given.</summary>
    public static IReadOnlyDictionary<string, long> Reasons(params (string Reason, long Count)[] reasons)
    {
        var map = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in reasons)
        {
            map[reason] = map.GetValueOrDefault(reason) + count;
        }

        return map;
    }

    /// <summary>The scan's view moved into the acting phase: it sets out to act on <paramref name="target"/>
    /// items and so far did <paramref name="done"/>, failed on <paramref name="failed"/> and left
    /// <paramref name="skipped"/> alone (added to the scan's reasons).</summary>
    public static SweepProgressView Acting(
        this SweepProgressView scan, long target, long done, long failed, params (string Reason, long Count)[] skipped)
    {
        ArgumentNullException.ThrowIfNull(scan);
        return scan with
        {
            Phase = SweepPhases.Acting, ActTarget = target, ActedOn = done, Errors = scan.Errors + failed,
            SkippedByReason = Reasons([.. scan.SkippedByReason.Select(r => (r.Key, r.Value)), .. skipped]),
        };
    }

    /// <summary>The acting phase of a sweep that scans, then acts on what it found under a blast-radius cap:
    /// <see cref="SweepAction.Act"/> sets out to act on the <paramref name="listed"/> items and so far
    /// did <paramref name="done"/>, failed on <paramref name="failed"/> and left <paramref name="leftAlone"/>
    /// alone; a dry run would act on all <paramref name="found"/>; over the cap all of them are skipped
    /// as cap_reached (instances_unknown when EC2 knew none of the instances); with nothing found there is
    /// nothing to do.</summary>
    public static SweepProgressView CappedActing(
        this SweepProgressView scan, SweepAction action, long found, long listed, long done, long failed,
        params (string Reason, long Count)[] leftAlone) =>
        action switch
        {
            SweepAction.Act => scan.Acting(listed, done, failed, leftAlone),
            SweepAction.DryRun => scan.Acting(found, found, 0),
            SweepAction.CapReached => scan.Acting(0, 0, 0, (CapReached, found)),
            SweepAction.InstancesUnknown => scan.Acting(0, 0, 0, (InstancesUnknown, found)),
            _ => scan.Acting(0, 0, 0),
        };

    /// <summary>The view as one line for Temporal's current details (shown in the UI), e.g.
    /// "scanning: 12 pages, 11,400 examined, 0 orphans terminated, 11,397 skipped (young 11,000, active_job 397), 0
    /// errors".</summary>
    public static string Details(SweepProgressView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (noun, verb) = SweepNames.TryParseTaskType(view.Sweep, out var kind)
            ? SweepDefinition.Of(kind).Wording
            : ("items", "acted on");
        var acted = view.ActTarget is { } target ? N($"{view.ActedOn:N0}/{target:N0}") : N($"{view.ActedOn:N0}");
        var reasons = view.SkippedByReason.Where(r => r.Value > 0).Select(r => N($"{r.Key} {r.Value:N0}")).ToList();
        var skipped = N($"{view.SkippedByReason.Values.Sum():N0} skipped")
            + (reasons.Count > 0 ? $" ({string.Join(", ", reasons)})" : string.Empty);
        var wouldBe = view.DryRun ? "would be " : string.Empty;
        return N($"{view.Phase}: {view.PagesDone:N0} pages, {view.Examined:N0} examined, ")
            + N($"{acted} {noun} {wouldBe}{verb}")
            + N($", {skipped}, {view.Errors:N0} errors")
            + (view.Runs > 1 ? N($", run {view.Runs}") : string.Empty)
            + (view.DryRun ? " (dry run)" : string.Empty);
    }

    private static string N(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
