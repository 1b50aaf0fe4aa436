using Temporalio.Testing;

namespace RunsFleet.Benchmarks.Sweeps;

/// <summary>
/// A sweep outside Temporal (the benchmark and the tests): its activities called directly, in the
/// order its workflow calls them: plan, read pages until the scan is done (as
/// <c>SweepPaging.ReadAllPagesAsync</c> does, without continuing as new), then act on what the
/// scan found. Each sweep fills in the steps in <c>Drivers/</c>, so this loop is written once.
/// Every call runs in one activity context (one workflow id), as on a worker: caches keyed by the
/// running workflow (the active jobs) are then shared by its pages.
/// </summary>
/// <param name="PlanAsync">The plan (or settings) activity.</param>
/// <param name="Start">The workflow's scan state before the first page.</param>
/// <param name="IsDone">True once the workflow would stop reading pages.</param>
/// <param name="ReadPageAsync">One page activity, folded into the state as the workflow folds it.</param>
/// <param name="ActAsync">What the workflow does once the scan is done; the sweep's outcome.</param>
internal sealed record SweepDriver<TPlan, TState>(
    Func<Task<TPlan>> PlanAsync,
    Func<TPlan, TState> Start,
    Func<TState, bool> IsDone,
    Func<TPlan, TState, Task<TState>> ReadPageAsync,
    Func<TPlan, TState, Task<long>> ActAsync)
{
    private readonly ActivityEnvironment _context = new();

    /// <summary>Runs the whole sweep; returns its outcome, the count a seeded scenario checks.</summary>
    public async Task<long> RunAsync()
    {
        var (plan, state) = await ScanAsync();
        return await InContextAsync(() => ActAsync(plan, state));
    }

    /// <summary>The plan and every page of the scan; the state the act step starts from.</summary>
    public Task<(TPlan Plan, TState State)> ScanAsync() =>
        InContextAsync(async () =>
        {
            var plan = await PlanAsync();
            var state = Start(plan);
            while (!IsDone(state))
            {
                state = await ReadPageAsync(plan, state);
            }

            return (plan, state);
        });

    /// <summary>Runs <paramref name="calls"/> in the driver's activity context (not nested in another).</summary>
    public Task<T> InContextAsync<T>(Func<Task<T>> calls) => _context.RunAsync(calls);
}
