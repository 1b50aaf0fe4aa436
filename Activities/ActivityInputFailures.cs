using Temporalio.Exceptions;

namespace RunsFleet.Activities;

/// <summary>
/// Failure types raised by activities for requests that can never succeed. The strings
/// are the ones RunsFleet.Workflows.Common.FailureTypes names,
/// so the retry policies' non-retryable list matches them; a test pins the equality.
/// </summary>
public static class ActivityInputFailures
{
    /// <summary>The request can never be processed as given.</summary>
    public const string InvalidInput = "InvalidInput";

    /// <summary>A thing the work needs does not exist.</summary>
    public const string NotFound = "NotFound";

    /// <summary>A non-retryable failure of type <see cref="InvalidInput"/>.</summary>
    public static ApplicationFailureException Invalid(string message) =>
        new(message, errorType: InvalidInput, nonRetryable: true);
}
