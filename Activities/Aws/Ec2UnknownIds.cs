using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace RunsFleet.Activities.Aws;

/// <summary>
/// EC2 rejects a whole call when one id in it no longer exists, and names the unknown ids in
/// its message. Such ids are dropped and the call repeated with the rest, so one vanished
/// instance or spot request never holds back the others. Any other failure propagates as the
/// typed Temporal failure of <see cref="AwsCall.RunAsync{T}"/>.
/// </summary>
internal static class Ec2UnknownIds
{
    /// <summary>
    /// Calls <paramref name="call"/> with the ids EC2 still knows: the response (null when no id
    /// was left to call with) and the ids dropped as unknown.
    /// </summary>
    public static async Task<(T? Response, HashSet<string> Unknown)> CallWithoutUnknownAsync<T>(
        string operation, string notFoundCode, IEnumerable<string> ids, Func<List<string>, Task<T>> call, ILogger logger)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(call);
        var all = ids.Distinct(StringComparer.Ordinal).ToList();
        var unknown = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var remaining = all.Where(id => !unknown.Contains(id)).ToList();
            if (remaining.Count == 0)
            {
                return (null, unknown);
            }

            var response = await AwsCall.RunAsync(operation, async () =>
            {
                try
                {
                    return await call(remaining);
                }
                catch (AmazonServiceException ex) when (ex.ErrorCode == notFoundCode
                    && remaining.Where(id => ex.Message?.Contains(id, StringComparison.Ordinal) == true).ToList() is { Count: > 0 } named)
                {
                    logger.LogWarning("{Operation}: EC2 no longer knows {Ids}; retrying without them", operation, string.Join(",", named));
                    unknown.UnionWith(named);
                    return null;
                }
            });
            if (response is not null)
            {
                return (response, unknown);
            }
        }
    }
}
