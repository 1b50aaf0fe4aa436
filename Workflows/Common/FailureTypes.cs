namespace RunsFleet.Workflows.Common;

/// <summary>Application failure types raised by this system's own code.</summary>
public static class FailureTypes
{
    /// <summary>The input can never be processed as given.</summary>
    public const string InvalidInput = "InvalidInput";

    /// <summary>A thing the work needs does not exist.</summary>
    public const string NotFound = "NotFound";
}
