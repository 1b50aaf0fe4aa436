using System.Globalization;
using RunsFleet.Tests.Support.Replay;
using RunsFleet.Workflows.Sweeps;
using Temporalio.Common;

namespace RunsFleet.Tests.Workflows.Sweeps;

/// <summary>
/// Replays a sweep history while asking its "progress" query at every activity, continue-as-new
/// and end (<see cref="QueryProbeInterceptor"/>), and checks at each point that Temporal's current
/// details show that very view. Lines are compact, so a test asserts the whole sequence at once.
/// </summary>
internal static class ProgressReplay
{
    public static async Task<(ReplayResult Replay, IReadOnlyList<(string At, SweepProgressView View)> Views)> RunAsync<TWorkflow>(WorkflowHistory history)
    {
        var (replay, probes) = await ReplayHarness.ReplayWithQueryAsync<TWorkflow>(history, SweepProgressView.QueryName);
        replay.EnsureReplayed();
        var views = probes.Select(p => (p.At, View: p.As<SweepProgressView>())).ToList();
        Assert.All(probes.Zip(views), pair => Assert.Equal(SweepProgress.Details(pair.Second.View), pair.First.CurrentDetails));
        return (replay, views);
    }

    /// <summary>"At: phase run R, P pages, E examined, A/T acted, N errors".</summary>
    public static IEnumerable<string> Lines(IEnumerable<(string At, SweepProgressView View)> views) =>
        views.Select(v => string.Create(
            CultureInfo.InvariantCulture,
            $"{v.At}: {v.View.Phase} run {v.View.Runs}, {v.View.PagesDone} pages, {v.View.Examined} examined, {v.View.ActedOn}/{v.View.ActTarget?.ToString(CultureInfo.InvariantCulture) ?? "-"} acted, {v.View.Errors} errors"));

    /// <summary>The non-zero skip reasons as "reason=count", in the view's order.</summary>
    public static IEnumerable<string> Skipped(SweepProgressView view) =>
        view.SkippedByReason.Where(r => r.Value > 0).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}={r.Value}"));
}
