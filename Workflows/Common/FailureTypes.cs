using RunsFleet.Activities;

namespace RunsFleet.Workflows.Common;

/// <summary>Application failure types raised by this system's own code (the activities define them).</summary>
public static class FailureTypes
{
    /// <summary>The input can never be processed as given.</summary>
    public const string InvalidInput = ActivityInputFailures.InvalidInput;

    /// <summary>A thing the work needs does not exist.</summary>
    public const string NotFound = ActivityInputFailures.NotFound;
}
