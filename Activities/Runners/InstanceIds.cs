using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using RunsFleet.Activities.Common;

namespace RunsFleet.Activities.Runners;

/// <summary>
/// Shape of an EC2 instance id. Every name or key built from an instance id goes through
/// here first, so a malformed id ("", "*", "../x", "i-1/config") can never widen what an
/// activity reads or deletes.
/// </summary>
public static partial class InstanceIds
{
    /// <summary>True for "i-" followed by 8 or 17 lowercase hex digits.</summary>
    public static bool IsValid([NotNullWhen(true)] string? instanceId) =>
        instanceId is not null && Shape().IsMatch(instanceId);

    /// <summary>Throws a non-retryable InvalidInput failure unless the id is well formed.</summary>
    public static string Require(string? instanceId) =>
        IsValid(instanceId)
            ? instanceId
            : throw FailureTypes.Invalid($"'{instanceId}' is not an EC2 instance id (i- and 8 or 17 hex digits)");

    [GeneratedRegex(@"^i-(?:[0-9a-f]{8}|[0-9a-f]{17})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
