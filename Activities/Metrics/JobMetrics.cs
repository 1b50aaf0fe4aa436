namespace RunsFleet.Activities.Metrics;

/// <summary>What a finished job contributes to the fleet's metrics.</summary>
/// <param name="Pool">Runner pool of the job; null when unknown (no Pool dimension then).</param>
/// <param name="Succeeded">True counts a JobSuccess, false a JobFailure.</param>
/// <param name="DurationSeconds">Job duration; JobDuration is sent only when it is above zero.</param>
public sealed record JobMetrics(string? Pool, bool Succeeded, double DurationSeconds)
{
    /// <summary>Metric of the job's duration (Seconds).</summary>
    public const string JobDuration = "JobDuration";

    /// <summary>Count of successful jobs.</summary>
    public const string JobSuccess = "JobSuccess";

    /// <summary>Count of failed, timed-out, interrupted and never-started jobs.</summary>
    public const string JobFailure = "JobFailure";

    /// <summary>Dimension naming the runner pool.</summary>
    public const string PoolDimension = "Pool";

    /// <summary>The metric values to send: the outcome count, and the duration when known.</summary>
    public IReadOnlyList<MetricDatum> ToData()
    {
        var dimensions = string.IsNullOrWhiteSpace(Pool)
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [PoolDimension] = Pool };
        var data = new List<MetricDatum>();

        // NaN, infinities and zero mean "not measured": sending them would skew the statistics.
        if (double.IsFinite(DurationSeconds) && DurationSeconds > 0)
        {
            data.Add(new MetricDatum(JobDuration, DurationSeconds, "Seconds", dimensions));
        }

        data.Add(new MetricDatum(Succeeded ? JobSuccess : JobFailure, 1, "Count", dimensions));
        return data;
    }
}
