using RunsFleet.Contracts.Common;

namespace RunsFleet.Activities.Sweeps.StaleSsm;

/// <summary>Reads the instance id out of a runner parameter name: {prefix}{instance-id}/{anything}.
/// A name that does not have that shape is never deleted: we cannot tell whose it is.</summary>
internal static class RunnerParameterPath
{
    /// <summary>Parses the instance id of <paramref name="parameterName"/>; false when the name is
    /// outside <paramref name="prefix"/>, or its first segment is not an EC2 instance id
    /// (the one rule of <see cref="InstanceIds"/>), or
    /// nothing follows that segment.</summary>
    public static bool TryGetInstanceId(string? parameterName, string prefix, out string instanceId)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        instanceId = string.Empty;
        var normalized = WithTrailingSlash(prefix);
        if (parameterName is null || !parameterName.StartsWith(normalized, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = parameterName.AsSpan(normalized.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
        {
            return false;
        }

        var candidate = rest[..slash].ToString();
        if (!InstanceIds.IsValid(candidate))
        {
            return false;
        }

        instanceId = candidate;
        return true;
    }

    /// <summary>The value of DescribeParameters' Path filter for <paramref name="prefix"/>: SSM wants
    /// the hierarchy without its trailing slash (/runs-fleet/runners).</summary>
    public static string PathFilterValue(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var trimmed = prefix.TrimEnd('/');
        return trimmed.Length == 0 ? "/" : trimmed;
    }

    private static string WithTrailingSlash(string prefix) => prefix.EndsWith('/') ? prefix : prefix + "/";
}
