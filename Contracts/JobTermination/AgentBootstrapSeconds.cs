namespace RunsFleet.Contracts.JobTermination;

/// <summary>The agent's own timing of its start-up, as its <c>started</c> message reports it
/// (bootstrap_boot_seconds ... bootstrap_total_seconds; runs-fleet pkg/termination/handler.go:185-192).
/// Zero means "not measured": an older agent sends none of them.</summary>
/// <param name="Boot">Instance boot to agent start (bootstrap_boot_seconds).</param>
/// <param name="Config">Reading the runner configuration (bootstrap_config_seconds).</param>
/// <param name="RunnerDownload">Fetching the runner (bootstrap_runner_seconds).</param>
/// <param name="Registration">Registering the runner with GitHub (bootstrap_register_seconds).</param>
/// <param name="Total">The whole start-up (bootstrap_total_seconds).</param>
public sealed record AgentBootstrapSeconds(
    double Boot, double Config, double RunnerDownload, double Registration, double Total)
{
    /// <summary>Each segment under runs-fleet's fixed phase name (handler.go:487-496: the phase set is fixed
    /// on the orchestrator side, not taken from the agent, to bound the metric's cardinality).</summary>
    public IReadOnlyList<(string Phase, double Seconds)> Phases =>
    [
        ("boot", Boot),
        ("config", Config),
        ("runner_download", RunnerDownload),
        ("registration", Registration),
        ("total", Total),
    ];

    /// <summary>True when the agent measured at least one segment.</summary>
    public bool Any => Phases.Any(p => IsMeasured(p.Seconds));

    /// <summary>A segment counts only when it is a finite positive number (handler.go:498 skips the rest).</summary>
    public static bool IsMeasured(double seconds) => double.IsFinite(seconds) && seconds > 0;
}
