using System.Globalization;
using RunsFleet.Activities.Common;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>Keeps a sweep's <see cref="ActiveJobSet"/> on the worker between its page activities,
/// keyed by the sweep (workflow id + the sweep's fixed instant, both stable across
/// continue-as-new). The set never enters the workflow history: a fleet-sized set would
/// be shipped through it page after page. A miss (another worker, an evicted or expired
/// entry) reads the index again: correct, only slower, because every candidate is
/// re-checked through instance-id-index right before it is terminated. Failed reads are
/// not kept, so the next page tries again. One singleton per worker process.</summary>
public sealed class ActiveJobSetCache : IDisposable
{
    /// <summary>How long a set is reused: a sweep's pages follow each other within minutes.</summary>
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(10);

    /// <summary>Sweeps whose sets are kept at once (oldest dropped first).</summary>
    public const int Capacity = 8;

    private readonly TimeProvider _clock;
    private readonly Dictionary<string, (ActiveJobSet Set,
        DateTimeOffset ReadAt)> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates an empty cache reading time from <paramref name="clock"/>.</summary>
    public ActiveJobSetCache(TimeProvider clock) => _clock = clock ?? throw new ArgumentNullException(nameof(clock));

    /// <summary>Index reads made so far (cache misses; for the tests).</summary>
    internal int Reads { get; private set; }

    /// <summary>The key of the running sweep: its CLI name, workflow id and <paramref name="sweepInstant"/>;
    /// null outside an activity (a plain call then reads every time).</summary>
    internal static string? KeyFor(SweepKind sweep, DateTimeOffset sweepInstant) =>
        CurrentActivity.WorkflowId is { } workflowId
            ? string.Create(CultureInfo.InvariantCulture,
                $"{SweepDefinition.Of(sweep).CliName}|{workflowId}|{sweepInstant.UtcTicks}")
            : null;

    /// <summary>The cached set of <paramref name="key"/>, or a fresh one from <paramref name="read"/>.
    /// Reads are serialised, so concurrent pages of one sweep share one read.</summary>
    internal async Task<ActiveJobSet> GetOrReadAsync(string? key, Func<Task<ActiveJobSet>> read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (key is null)
        {
            Reads++;
            return await read();
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            var now = _clock.GetUtcNow();
            if (_entries.TryGetValue(key, out var entry) && now - entry.ReadAt < TimeToLive)
            {
                return entry.Set;
            }

            Reads++;
            var set = await read();
            _entries.Remove(key);
            if (set.Failure is null)
            {
                while (_entries.Count >= Capacity)
                {
                    _entries.Remove(_entries.MinBy(e => e.Value.ReadAt).Key);
                }

                _entries[key] = (set, now);
            }

            return set;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();
}
