using System.ComponentModel.DataAnnotations;

namespace RunsFleet.Activities.Metrics;

/// <summary>Settings of the metrics sink.</summary>
public sealed class MetricsOptions
{
    /// <summary>CloudWatch namespace of every metric (RUNS_FLEET_METRICS_NAMESPACE).</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9._/#:\- ]{1,255}\z",
        ErrorMessage = "must be 1-255 characters of letters, digits and . _ / # : -")]
    public string Namespace { get; set; } = "RunsFleet";
}
