using Amazon.Runtime;

namespace RunsFleet.Activities.Preflight;

/// <summary>Why a preflight read failed, in words an operator acts on. An AWS answer keeps AWS's error code and
/// text (the code is what the rules read, e.g. ResourceNotFoundException); a failure before any answer says
/// what went wrong (no credentials, nothing reached, no answer in time) instead of naming the .NET exception
/// that carried it.</summary>
public static class ProbeFailure
{
    /// <summary>True for what a read may fail with without a bug: AWS's answers, the SDK's client errors (no
    /// credentials, no region), the network, and a timeout that is not the caller's cancellation.</summary>
    public static bool IsExpected(Exception e, CancellationToken cancellationToken) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>One line saying why <paramref name="e"/> stopped the read.</summary>
    public static string Describe(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // The SDK lets a connection failure through as it came, or wrapped in one of its own exceptions.
        var network = new[] { e, e.InnerException }.FirstOrDefault(x => x is HttpRequestException or IOException);
        return e switch
        {
            AmazonServiceException { ErrorCode: { } code } => $"{code}: {OneLine(e.Message)}",
            _ when network is not null => $"connection failed: {OneLine(network.Message)}",
            OperationCanceledException or TimeoutException => "AWS did not answer in time",
            AmazonClientException when e.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
                "no AWS credentials were found (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
            AmazonServiceException aws => $"AWS answered {(int)aws.StatusCode}: {OneLine(e.Message)}",
            _ => OneLine(e.Message),
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
