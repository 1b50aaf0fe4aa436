using System.Globalization;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>Every instance that holds a non-terminal job, as one read of the jobs table's
/// status index saw it, so a sweep answers "does this instance hold a job" in memory.
/// A set whose read failed answers <see cref="JobLookupOutcome.Failed"/> for every
/// instance: the sweeps then keep them all (fail closed).</summary>
internal sealed class ActiveJobSet
{
    private readonly IReadOnlyDictionary<string, long?> _jobByInstance;

    private ActiveJobSet(IReadOnlyDictionary<string, long?> jobByInstance, string? failure)
    {
        _jobByInstance = jobByInstance;
        Failure = failure;
    }

    /// <summary>Why the read failed; null when the set is complete.</summary>
    public string? Failure { get; }

    /// <summary>Instances holding at least one non-terminal job.</summary>
    public int Count => _jobByInstance.Count;

    /// <summary>A complete set: instance id to one of its active job ids.</summary>
    public static ActiveJobSet Of(IReadOnlyDictionary<string, long?> jobByInstance) =>
        new(jobByInstance ?? throw new ArgumentNullException(nameof(jobByInstance)), null);

    /// <summary>A set whose read failed: every lookup fails.</summary>
    public static ActiveJobSet Failed(string reason) => new(new Dictionary<string, long?>(), reason);

    /// <summary>What the set says about <paramref name="instanceId"/>.</summary>
    public JobLookup Lookup(string instanceId)
    {
        if (Failure is not null)
        {
            return JobLookup.Failure(Failure);
        }

        return _jobByInstance.TryGetValue(instanceId, out var jobId) ? JobLookup.Active(jobId) : JobLookup.None;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Failure ?? string.Create(CultureInfo.InvariantCulture, $"{Count} instances with active jobs");
}
