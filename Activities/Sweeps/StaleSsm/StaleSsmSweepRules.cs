namespace RunsFleet.Activities.Sweeps.StaleSsm;

/// <summary>What the sweep does with one runner parameter, and why.</summary>
public enum ParameterVerdict
{
    /// <summary>Old enough and its instance is gone (terminated, shutting down or unknown): delete.</summary>
    Stale,

    /// <summary>Modified within the grace period: its instance may still be launching.</summary>
    KeptYoung,

    /// <summary>Its instance still exists (pending, running, stopping, stopped).</summary>
    KeptInstanceAlive,

    /// <summary>The name does not carry an instance id: reported, never deleted.</summary>
    KeptUnparseable,

    /// <summary>SSM gave no modification time, so its age is unknown: kept (fail closed).</summary>
    KeptNoTimestamp,
}

/// <summary>The staleness decision, free of I/O so every boundary can be tested.</summary>
internal static class StaleSsmSweepRules
{
    private static readonly HashSet<string> GoneStates = new(StringComparer.OrdinalIgnoreCase) { "terminated",
        "shutting-down" };

    /// <summary>True when an instance in <paramref name="state"/> no longer needs its parameters.
    /// Null means DescribeInstances did not return the id at all (long gone or never existed).</summary>
    public static bool IsInstanceGone(string? state) => state is null || GoneStates.Contains(state);

    /// <summary>True when a parameter modified at <paramref name="lastModified"/> is still inside the
    /// grace period at <paramref name="now"/>. A parameter exactly <paramref name="grace"/> old is
    /// no longer young; one dated in the future (clock skew) is.</summary>
    public static bool IsYoung(DateTimeOffset lastModified, DateTimeOffset now, TimeSpan grace) =>
        now - lastModified < grace;

    /// <summary>Parameters whose verdict depends on their instance (parseable and past the grace
    /// period): only their instance ids need a DescribeInstances lookup.</summary>
    public static bool NeedsInstanceLookup(string name, string prefix, DateTimeOffset? lastModified, DateTimeOffset now,
        TimeSpan grace, out string instanceId)
    {
        if (RunnerParameterPath.TryGetInstanceId(name, prefix, out instanceId) && lastModified is { } modified
            && !IsYoung(modified, now, grace))
        {
            return true;
        }

        instanceId = string.Empty;
        return false;
    }

    /// <summary>Decides one parameter. <paramref name="instanceStates"/> maps the instance ids that
    /// DescribeInstances returned to their state names; an id missing from it is unknown to EC2.</summary>
    public static ParameterVerdict Decide(
        string name,
        string prefix,
        DateTimeOffset? lastModified,
        DateTimeOffset now,
        TimeSpan grace,
        IReadOnlyDictionary<string, string> instanceStates)
    {
        ArgumentNullException.ThrowIfNull(instanceStates);
        if (!RunnerParameterPath.TryGetInstanceId(name, prefix, out var instanceId))
        {
            return ParameterVerdict.KeptUnparseable;
        }

        if (lastModified is not { } modified)
        {
            return ParameterVerdict.KeptNoTimestamp;
        }

        if (IsYoung(modified, now, grace))
        {
            return ParameterVerdict.KeptYoung;
        }

        var state = instanceStates.TryGetValue(instanceId, out var found) ? found : null;
        return IsInstanceGone(state) ? ParameterVerdict.Stale : ParameterVerdict.KeptInstanceAlive;
    }
}
