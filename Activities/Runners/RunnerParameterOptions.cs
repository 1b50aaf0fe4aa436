using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace RunsFleet.Activities.Runners;

/// <summary>Where runner agents find their SSM parameters (config and registration credential).</summary>
public sealed partial class RunnerParameterOptions
{
    /// <summary>Path segments of letters, digits, _ . -; starts with '/', no trailing '/', no empty segment.</summary>
    public const string PrefixPattern = @"^(?:/[A-Za-z0-9_.\-]+)+\z";

    /// <summary>Parameter path prefix (RUNS_FLEET_RUNNER_PARAMETER_PREFIX): {Prefix}/{instance}/config.</summary>
    [Required]
    [RegularExpression(PrefixPattern,
        ErrorMessage = "must start with '/', have no trailing '/' and only letters, digits, _ . - in its segments")]
    public string Prefix { get; set; } = "/runs-fleet/runners";

    /// <summary>True when <paramref name="prefix"/> is a usable prefix (same rule as the attribute).</summary>
    public static bool IsValidPrefix(string? prefix) =>
        prefix is not null && WholePrefix().IsMatch(prefix);

    // \z, not $: "$" would also accept a trailing newline.
    [GeneratedRegex(@"^(?:/[A-Za-z0-9_.\-]+)+\z", RegexOptions.CultureInvariant)]
    private static partial Regex WholePrefix();
}
