using Amazon.SQS.Model;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Splits a received batch into chains handled one message after another. On a FIFO queue the
/// messages of one group must take effect in order (a job's `started` before its `success`), so
/// a group is one chain in receive order; everything else runs in parallel, one chain each.</summary>
internal static class MessageChains
{
    public const string GroupAttribute = "MessageGroupId";

    public static IReadOnlyList<IReadOnlyList<Message>> Of(IReadOnlyList<Message> batch, bool fifo)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!fifo)
        {
            return [.. batch.Select(m => (IReadOnlyList<Message>)[m])];
        }

        var chains = new List<List<Message>>();
        var byGroup = new Dictionary<string, List<Message>>(StringComparer.Ordinal);
        foreach (var message in batch)
        {
            var group = message.Attributes?.GetValueOrDefault(GroupAttribute);
            if (group is null)
            {
                chains.Add([message]);
            }
            else if (byGroup.TryGetValue(group, out var chain))
            {
                chain.Add(message);
            }
            else
            {
                byGroup[group] = chain = [message];
                chains.Add(chain);
            }
        }

        return chains;
    }
}
