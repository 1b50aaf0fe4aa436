using RunsFleet.Activities.Common;
namespace RunsFleet.Activities.Runners;

/// <summary>The SSM parameters a runner instance owns.</summary>
internal static class RunnerParameterNames
{
    /// <summary>Runner configuration (labels, pool, repository).</summary>
    public const string Config = "config";

    /// <summary>Runner registration credential (SecureString).</summary>
    public const string Credential = "credential";

    /// <summary>{prefix}/{instanceId}/config and {prefix}/{instanceId}/credential. The instance id is
    /// validated first, so nothing outside that one instance's folder can be named.</summary>
    public static IReadOnlyList<string> For(string prefix, string instanceId)
    {
        if (!RunnerParameterOptions.IsValidPrefix(prefix))
        {
            throw FailureTypes.Invalid($"'{prefix}' is not a valid runner parameter prefix");
        }

        var id = FailureTypes.RequireInstanceId(instanceId);
        return [$"{prefix}/{id}/{Config}", $"{prefix}/{id}/{Credential}"];
    }
}
