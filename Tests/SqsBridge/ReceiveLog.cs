using System.Collections.Concurrent;
using System.Globalization;
using Amazon.SQS.Model;
using RunsFleet.SqsBridge.Pump;

namespace RunsFleet.Tests.SqsBridge;

/// <summary>
/// Wraps a queue's message handler and records, for every message the pump hands it, the
/// receive count SQS reported and the order of calls: what the tests need to show that a fault
/// spent no extra receive and that a FIFO group was handled in order.
/// </summary>
public sealed class ReceiveLog
{
    private readonly ConcurrentDictionary<string, int> _highestReceiveCount = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Message> _calls = new();

    /// <summary>Highest ApproximateReceiveCount seen per message id.</summary>
    public IReadOnlyDictionary<string, int> HighestReceiveCount => _highestReceiveCount;

    /// <summary>Every handler call in order (a retried start appears once per attempt).</summary>
    public IReadOnlyList<Message> Calls => [.. _calls];

    public IQueueMessageHandler Wrap(IQueueMessageHandler inner) => new Recording(inner, this);

    private void Record(Message message)
    {
        var count = int.Parse(message.Attributes["ApproximateReceiveCount"], CultureInfo.InvariantCulture);
        _highestReceiveCount.AddOrUpdate(message.MessageId, count, (_, seen) => Math.Max(seen, count));
        _calls.Enqueue(message);
    }

    private sealed class Recording(IQueueMessageHandler inner, ReceiveLog log) : IQueueMessageHandler
    {
        public string QueueKind => inner.QueueKind;

        public Task<MessageOutcome> HandleAsync(Message message, CancellationToken cancellationToken)
        {
            log.Record(message);
            return inner.HandleAsync(message, cancellationToken);
        }
    }
}
