using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace RunsFleet.Contracts.Common;

/// <summary>Shape of an EC2 instance id. Every name or key built from an instance id goes through
/// here first, so a malformed id ("", "*", "../x", "i-1/config") can never widen what an
/// activity reads or deletes; the bridge applies the same rule, so what it accepts the activities accept.</summary>
public static partial class InstanceIds
{
    /// <summary>True for "i-" followed by 8 or 17 lowercase hex digits.</summary>
    public static bool IsValid([NotNullWhen(true)] string? instanceId) =>
        instanceId is not null && Shape().IsMatch(instanceId);

    [GeneratedRegex(@"^i-(?:[0-9a-f]{8}|[0-9a-f]{17})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
