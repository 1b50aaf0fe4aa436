using System.Globalization;

namespace RunsFleet.Worker.Configuration;

/// <summary>runs-fleet's own variables (pkg/config/config.go at 2bb4703) read as aliases of ours where runs-fleet
/// means the same thing, so the environment of a runs-fleet deployment works here unchanged. Each was
/// checked against its use in runs-fleet before aliasing:
/// <list type="bullet">
/// <item>MAX_RUNTIME_MINUTES (config.go:162, default 360): the longest job; runs-fleet's tag-based orphan
/// cutoff is it + 10 min (pkg/housekeeping/tasks.go:229), the stray-instance sweep's is it +
/// RUNS_FLEET_STRAY_INSTANCES_BUFFER_MINUTES (default 10); OrphanedJobSweep ages jobs by it + slack. Both
/// sweeps read it.</item>
/// <item>INSTANCE_PROFILE_ARN (config.go:225): the runners' profile; runs-fleet's profile phase filters on
/// iam-instance-profile.arn with it (tasks.go:345-351), as OrphanSweep phase b does.</item>
/// <item>SECRETS_PATH_PREFIX (config.go:273, default /runs-fleet/runners): the SSM store's prefix, parameters at
/// {prefix}/{id}/config and /credential (pkg/secrets/ssm.go:293-300), the runner prefix here.</item>
/// <item>UNCLAIMED_INSTANCE_GRACE_MINUTES (config.go:178, 30) and COMPLETED_INSTANCE_GRACE_MINUTES (:167, 15):
/// minutes since launch of a cold start without a job, and since the last completion (tasks.go:243-249,
/// 586-727): phases c and d.</item>
/// <item>STOPPED_INSTANCE_GRACE_HOURS (config.go:173, default 0): hours since a stopped managed instance
/// without a pool tag was last started, and 0 switches the phase off (tasks.go:492-505): phase e's switch
/// AND its grace here, so it is translated for each (<see cref="StoppedPhaseEnabled"/>,
/// <see cref="StoppedPhaseGrace"/>).</item>
/// </list>
/// Same names already (nothing to alias): RUNS_FLEET_JOBS_TABLE, RUNS_FLEET_POOLS_TABLE,
/// RUNS_FLEET_JOBS_INSTANCE_ID_GSI, RUNS_FLEET_TERMINATION_QUEUE_URL, RUNS_FLEET_HOUSEKEEPING_QUEUE_URL.</summary>
internal static class RunsFleetVariables
{
    public const string MaxRuntimeMinutes = "RUNS_FLEET_MAX_RUNTIME_MINUTES";
    public const string InstanceProfileArn = "RUNS_FLEET_INSTANCE_PROFILE_ARN";
    public const string SecretsPathPrefix = "RUNS_FLEET_SECRETS_PATH_PREFIX";
    public const string UnclaimedInstanceGraceMinutes = "RUNS_FLEET_UNCLAIMED_INSTANCE_GRACE_MINUTES";
    public const string CompletedInstanceGraceMinutes = "RUNS_FLEET_COMPLETED_INSTANCE_GRACE_MINUTES";
    public const string StoppedInstanceGraceHours = "RUNS_FLEET_STOPPED_INSTANCE_GRACE_HOURS";

    /// <summary>runs-fleet's stopped grace as phase e's switch: 0 is off, more is on; not a number says
    /// nothing (the grace binding reports it).</summary>
    public static string? StoppedPhaseEnabled(string text) =>
        Hours(text) is { } hours ? (hours > 0 ? "true" : "false") : null;

    /// <summary>runs-fleet's stopped grace as phase e's grace: 0 (phase off) says nothing about it; else the
    /// hours.</summary>
    public static string? StoppedPhaseGrace(string text) => Hours(text) == 0 ? null : text;

    private static int? Hours(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var hours) ? hours : null;
}
