using System.Globalization;
using RunsFleet.Activities.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Activities.Sweeps;

/// <summary>The one rule for a trigger's overrides (a housekeeping message's params, <c>runs-fleet sweep run</c>):
/// they may only make a sweep more careful than the worker's configuration: a threshold (max
/// runtime, slack, grace, retention) only longer, a cap only lower. Anything else could turn a
/// routine sweep into a destructive one (max_runtime_minutes=1 retires live jobs), so it is refused
/// with its reason. The check runs in each sweep's plan/settings activity, the only place that
/// knows the configured values; the bridge's parser keeps the static bounds every configuration
/// shares (HousekeepingMessageParser). Pure: the messages are the operator's answer.</summary>
public static class SweepOverrides
{
    /// <summary>Why <paramref name="requested"/> may not replace the configured threshold; null when it may
    /// (longer or equal, or none).</summary>
    public static string? ThresholdProblem(int? requested, int configured, string parameter, string variable) =>
        requested < configured
            ? Text($"{parameter}={requested} is shorter than the configured {configured} ({variable}): ")
                + "a trigger may only lengthen it; shorten it in the worker's configuration"
            : null;

    /// <summary>Why <paramref name="requested"/> may not replace the configured cap; null when it may (lower
    /// or equal, or none).</summary>
    public static string? CapProblem(int? requested, int configured, string parameter, string variable) =>
        requested > configured
            ? Text($"{parameter}={requested} is above the configured {configured} ({variable}): ")
                + "a trigger may only lower it; raise it in the worker's configuration"
            : null;

    /// <summary>The threshold to run with; fails the plan (non-retryable InvalidInput) when the override is
    /// shorter.</summary>
    public static int Threshold(int? requested, int configured, string parameter, string variable) =>
        ThresholdProblem(requested, configured, parameter, variable) is { } problem
            ? throw Refused(problem)
            : requested ?? configured;

    /// <summary>The cap to run with; fails the plan (non-retryable InvalidInput) when the override is higher.</summary>
    public static int Cap(int? requested, int configured, string parameter, string variable) =>
        CapProblem(requested, configured, parameter, variable) is { } problem
            ? throw Refused(problem)
            : requested ?? configured;

    private static ApplicationFailureException Refused(string problem) =>
        FailureTypes.Invalid("Override refused: " + problem);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
