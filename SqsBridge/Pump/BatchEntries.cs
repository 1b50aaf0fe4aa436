using System.Globalization;
using Amazon.SQS.Model;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Entry ids of SQS batch calls: "m{index in the batch}", mapped back to message ids for logs.</summary>
internal static class BatchEntries
{
    public static string Id(int index) => "m" + index.ToString(CultureInfo.InvariantCulture);

    public static string? MessageIdOf(IReadOnlyList<Message> batch, string? entryId) =>
        entryId is ['m', .. var index] && int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture,
            out var i) && i < batch.Count
            ? batch[i].MessageId
            : entryId;
}
