using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace RunsFleet.Activities.Aws;

/// <summary>EC2 rejects a whole call when one id in it no longer exists (or, for TerminateInstances, is
/// termination-protected), and names the id in its message. Such ids are dropped and the call
/// repeated with the rest, so one vanished or protected instance never holds back the others.
/// Any other failure propagates as the typed Temporal failure of <see cref="AwsCall.RunAsync{T}"/>.</summary>
internal static class Ec2UnknownIds
{
    /// <summary>Calls <paramref name="call"/> with the ids EC2 still knows: the response (null when no id
    /// was left to call with) and the ids dropped as unknown.</summary>
    public static async Task<(T? Response, HashSet<string> Unknown)> CallWithoutUnknownAsync<T>(
        string operation,
        string notFoundCode,
        IEnumerable<string> ids,
        Func<List<string>, Task<T>> call,
        ILogger logger)
        where T : class
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal) { [notFoundCode] = int.MaxValue };
        var (response, refused, _) = await CallWithoutRefusedAsync(operation, limits, ids, call, logger);
        return (response, refused[notFoundCode]);
    }

    /// <summary>Calls <paramref name="call"/>, dropping each id an error of one of <paramref name="dropLimits"/>'
    /// codes names and calling again with the rest. Each code drops at most its limit of ids: the
    /// error past it still drops the id it names, then the remaining ids are returned not tried
    /// (bounded calls, however many ids a batch would refuse). Returns the response (null when no
    /// call succeeded), the ids refused per code, and the ids not tried.</summary>
    public static async Task<(T? Response, Dictionary<string, HashSet<string>> Refused, List<string> NotTried)>
        CallWithoutRefusedAsync<T>(
            string operation,
            IReadOnlyDictionary<string, int> dropLimits,
            IEnumerable<string> ids,
            Func<List<string>, Task<T>> call,
            ILogger logger)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(dropLimits);
        ArgumentNullException.ThrowIfNull(call);
        var all = ids.Distinct(StringComparer.Ordinal).ToList();
        var refused = dropLimits.Keys.ToDictionary(
            code => code, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        bool IsRefused(string id) => refused.Values.Any(set => set.Contains(id));
        while (true)
        {
            var remaining = all.Where(id => !IsRefused(id)).ToList();
            if (remaining.Count == 0)
            {
                return (null, refused, []);
            }

            string? limitReached = null;
            var response = await AwsCall.RunAsync(operation, async () =>
            {
                try
                {
                    return await call(remaining);
                }
                catch (AmazonServiceException ex) when (ex.ErrorCode is { } code
                    && refused.TryGetValue(code, out var set)
                    && Named(remaining, ex.Message) is { Count: > 0 } named)
                {
                    logger.LogWarning(
                        "{Operation}: {Code} for {Ids}; retrying without them",
                        operation,
                        code,
                        string.Join(",", named));
                    set.UnionWith(named);
                    if (set.Count > dropLimits[code])
                    {
                        limitReached = code;
                    }

                    return null;
                }
            });
            if (response is not null)
            {
                return (response, refused, []);
            }

            if (limitReached is not null)
            {
                var notTried = all.Where(id => !IsRefused(id)).ToList();
                logger.LogWarning(
                    "{Operation}: more than {Limit} ids refused with {Code}; {Count} left untried",
                    operation,
                    dropLimits[limitReached],
                    limitReached,
                    notTried.Count);
                return (null, refused, notTried);
            }
        }
    }

    // The ids of the call that EC2's error message names.
    private static List<string> Named(List<string> ids, string? message) =>
        ids.Where(id => message?.Contains(id, StringComparison.Ordinal) == true).ToList();
}
