using RunsFleet.Contracts.JobTermination;

namespace RunsFleet.Activities.Metrics;

/// <summary>What a confirmed runner (a start report that moved its record to running) contributes to the
/// metrics, under runs-fleet's names and dimensions (pkg/metrics/cloudwatch.go:63,100,116;
/// pkg/termination/handler.go confirmRunnerStarted), so its dashboards and alarms keep working.</summary>
/// <param name="Pool">The record's pool; null for a cold start (no Pool dimension then, as in dims()).</param>
/// <param name="InstanceType">
/// The record's instance_type; its family ("c7g" of "c7g.xlarge") labels the provision time.
/// </param>
/// <param name="WarmPoolHit">The record's warm_pool_hit.</param>
/// <param name="HotPoolHit">The record's hot_pool_hit (a warm-pool hit on a running spare).</param>
/// <param name="CreatedAt">The record's created_at: when runs-fleet assigned the instance.</param>
/// <param name="StartedAt">The agent's started_at; null when it sent none (no provision time then).</param>
/// <param name="Bootstrap">The agent's start-up segments; null when it sent none.</param>
public sealed record RunnerConfirmedMetrics(
    string? Pool,
    string? InstanceType,
    bool WarmPoolHit,
    bool HotPoolHit,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? StartedAt,
    AgentBootstrapSeconds? Bootstrap)
{
    /// <summary>Count of runners whose start report moved their job to running.</summary>
    public const string RunnerConfirmed = "RunnerConfirmed";

    /// <summary>Seconds from the assignment (created_at) to the agent's started_at.</summary>
    public const string InstanceProvisionSeconds = "InstanceProvisionSeconds";

    /// <summary>Seconds of one start-up phase of the agent.</summary>
    public const string AgentBootstrapSecondsName = "AgentBootstrapSeconds";

    /// <summary>Provision source of a cold start (a new instance).</summary>
    public const string ColdStart = "cold_start";

    /// <summary>Provision source of a stopped warm-pool instance that was started.</summary>
    public const string WarmPool = "warm_pool";

    /// <summary>Provision source of a running hot-pool spare (no boot).</summary>
    public const string HotPool = "hot_pool";

    /// <summary>The provision source label (handler.go:524-532): hot_pool beats warm_pool beats cold_start.</summary>
    public string Source => HotPoolHit ? HotPool : WarmPoolHit ? WarmPool : ColdStart;

    /// <summary>The family of <see cref="InstanceType"/>; null for an empty or bad type (handler.go:541).</summary>
    public string? Family =>
        InstanceType?.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot ? InstanceType[..dot] : null;

    /// <summary>The provision time, only when both ends are known and it is positive: a clock skew between
    /// the orchestrator and the agent must not publish a negative or zero value (handler.go:516-523).</summary>
    public double? ProvisionSeconds =>
        CreatedAt is { } created && StartedAt is { } started && (started - created).TotalSeconds is > 0 and var seconds
            ? seconds
            : null;

    /// <summary>The metric values to send: the confirmation, the provision time and each measured phase.</summary>
    public IReadOnlyList<MetricDatum> ToData()
    {
        var data = new List<MetricDatum> { new(RunnerConfirmed, 1, "Count", Dimensions(("Pool", Pool))) };
        if (ProvisionSeconds is { } provision)
        {
            var dimensions = Dimensions(("Source", Source), ("Family", Family));
            data.Add(new MetricDatum(InstanceProvisionSeconds, provision, "Seconds", dimensions));
        }

        foreach (var (phase, seconds) in Bootstrap?.Phases ?? [])
        {
            if (AgentBootstrapSeconds.IsMeasured(seconds))
            {
                var dimensions = Dimensions(("Pool", Pool), ("Phase", phase));
                data.Add(new MetricDatum(AgentBootstrapSecondsName, seconds, "Seconds", dimensions));
            }
        }

        return data;
    }

    // runs-fleet's dims() leaves out a dimension whose value is empty (cloudwatch.go:330).
    internal static Dictionary<string, string> Dimensions(params (string Name, string? Value)[] pairs) =>
        pairs.Where(p => !string.IsNullOrEmpty(p.Value))
            .ToDictionary(p => p.Name, p => p.Value!, StringComparer.Ordinal);
}
