using Amazon.Runtime;

namespace RunsFleet.Activities.Aws;

/// <summary>Runs one AWS request the way every activity does: a service error becomes the typed
/// Temporal failure of <see cref="AwsFailures.ToFailure"/> (named by the operation, permanent
/// codes non-retryable), after an optional log line. Errors a caller handles itself (a failed
/// condition, an unknown id) are caught inside its <c>request</c> and never reach this.</summary>
internal static class AwsCall
{
    /// <summary>Awaits <paramref name="request"/>; maps an <see cref="AmazonServiceException"/> to a failure.</summary>
    public static async Task<T> RunAsync<T>(string operation, Func<Task<T>> request,
        Action<AmazonServiceException>? log = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await request();
        }
        catch (AmazonServiceException ex)
        {
            log?.Invoke(ex);
            throw AwsFailures.ToFailure(ex, operation);
        }
    }

    /// <summary>As <see cref="RunAsync{T}"/> for a request without a result worth keeping.</summary>
    public static Task RunAsync(string operation, Func<Task> request, Action<AmazonServiceException>? log = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunAsync(
            operation,
            async () =>
            {
                await request();
                return true;
            },
            log);
    }

    /// <summary>Awaits a read whose failure the caller turns into a fail-closed answer (keep the instance,
    /// terminate nothing) rather than an activity failure: the response, or null and why.</summary>
    public static async Task<(T? Response, string? Failure)> TryReadAsync<T>(Func<Task<T>> request,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return (await request(), null);
        }
        catch (AmazonServiceException ex)
        {
            return (null, ex.ErrorCode ?? ex.GetType().Name);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"{ex.GetType().Name} (timeout)");
        }
        catch (Exception ex)
            when (ex is AmazonClientException or HttpRequestException or TimeoutException or IOException)
        {
            return (null, ex.GetType().Name);
        }
    }
}
