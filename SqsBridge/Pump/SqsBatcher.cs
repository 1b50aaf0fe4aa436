using System.Threading.Channels;
using Amazon.SQS.Model;

namespace RunsFleet.SqsBridge.Pump;

/// <summary>Collects messages for one batch call (DeleteMessageBatch, ChangeMessageVisibilityBatch) and
/// sends them ten at a time, the SQS batch limit. A batch leaves when it is full or when its
/// first message has waited <c>linger</c>, so a busy queue pays one call per ten messages and a
/// quiet one waits only briefly. Sends run concurrently up to a small bound.</summary>
/// <param name="send">Sends one batch; it logs its own failures and should not throw.</param>
/// <param name="linger">Longest wait for a batch to fill.</param>
/// <param name="time">Clock of the linger.</param>
internal sealed class SqsBatcher(Func<Message[], CancellationToken, Task> send, TimeSpan linger, TimeProvider time)
    : IDisposable
{
    public const int SqsBatchLimit = 10;
    private const int MaxSendsInFlight = 4;

    private readonly Channel<Message> _pending =
        Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _sends = new(MaxSendsInFlight, MaxSendsInFlight);
    private readonly CancellationTokenSource _abort = new();
    private Task? _loop;
    private volatile bool _completing;

    public void Dispose()
    {
        _sends.Dispose();
        _abort.Dispose();
    }

    public void Start() => _loop ??= Task.Run(RunAsync);

    public void Add(Message message) => _pending.Writer.TryWrite(message);

    /// <summary>Sends everything still pending at once and waits for it (or until <paramref name="deadline"/> ends,
    /// then gives up).</summary>
    public async Task CompleteAsync(CancellationToken deadline)
    {
        _completing = true;
        _pending.Writer.TryComplete();
        using var registration = deadline.Register(_abort.Cancel);
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task RunAsync()
    {
        var reader = _pending.Reader;
        var sending = new List<Task>();
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<Message>(SqsBatchLimit);
            while (batch.Count < SqsBatchLimit && reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            if (batch.Count < SqsBatchLimit && !_completing)
            {
                await FillAsync(reader, batch);
            }

            await _sends.WaitAsync();
            sending.RemoveAll(t => t.IsCompleted);
            sending.Add(SendAsync([.. batch]));
        }

        await Task.WhenAll(sending);
    }

    private async Task FillAsync(ChannelReader<Message> reader, List<Message> batch)
    {
        using var waited = new CancellationTokenSource(linger, time);
        try
        {
            while (batch.Count < SqsBatchLimit && !_completing && await reader.WaitToReadAsync(waited.Token))
            {
                while (batch.Count < SqsBatchLimit && reader.TryRead(out var message))
                {
                    batch.Add(message);
                }
            }
        }
        catch (OperationCanceledException) when (waited.IsCancellationRequested)
        {
            // Waited long enough: send what there is.
        }
    }

    private async Task SendAsync(Message[] batch)
    {
        try
        {
            await send(batch, _abort.Token);
        }
        finally
        {
            _sends.Release();
        }
    }
}
