namespace RunsFleet.Activities.Preflight;

/// <summary>What the checks saw: one DescribeTable per table (its indexes come with it), the buckets and
/// the bridge's queues. Null buckets or queues: not checked by this caller (the worker checks only
/// the tables its role may describe; <c>runs-fleet doctor</c> checks everything).</summary>
public sealed record PreflightObservations(
    TableProbe Jobs,
    TableProbe Pools,
    IReadOnlyList<BucketProbe>? Buckets = null,
    IReadOnlyList<QueueProbe>? Queues = null);

/// <summary>The preflight's decision: per capability, what it needs in the account and whether it has it.
/// Pure: the observations come from <see cref="PreflightTables"/> (DynamoDB) and the CLI's bucket
/// and queue probes. Lives in Activities because it shares the table options and the index
/// requirements with the activities (their IndexMissing failure gives the same fix), and both the
/// worker and the CLI reference Activities already, so neither takes the other's packages.</summary>
public static class PreflightCheck
{
    /// <summary>What each capability reads, in the order problems are reported (table before its indexes).</summary>
    private sealed record Needs(
        PreflightCapability Capability,
        bool JobsTable,
        Func<PreflightSettings, IReadOnlyList<JobsIndexRequirement>> Indexes,
        bool PoolsTable = false,
        string? BucketVariable = null);

    private static readonly Needs[] Capabilities =
    [
        new(PreflightCapability.JobTermination, true, s => [JobsIndexRequirement.InstanceId(s.Jobs)]),
        new(
            PreflightCapability.OrphanSweep,
            true,
            s => [JobsIndexRequirement.ActiveJobs(s.Jobs), JobsIndexRequirement.InstanceId(s.Jobs)]),
        new(PreflightCapability.OrphanedJobSweep, true, s => [JobsIndexRequirement.ActiveJobs(s.Jobs)]),
        new(PreflightCapability.StaleSsmSweep, false, _ => []),
        new(
            PreflightCapability.OldJobArchival,
            true,
            s => [JobsIndexRequirement.CompletedAt(s.Jobs)],
            BucketVariable: PreflightSettings.ArchiveBucketVariable),
        new(
            PreflightCapability.PoolAudit,
            true,
            s => [JobsIndexRequirement.ActiveJobs(s.Jobs)],
            PoolsTable: true,
            BucketVariable: PreflightSettings.ReportBucketVariable),
    ];

    /// <summary>Every capability's report; SqsBridge only when its queues were probed.</summary>
    public static IReadOnlyList<CapabilityReport> Evaluate(PreflightSettings settings, PreflightObservations seen)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(seen);
        var reports = Capabilities.Select(needs => Evaluate(needs, settings, seen)).ToList();
        if (seen.Queues is { } queues)
        {
            reports.Add(Bridge(settings, queues));
        }

        return reports;
    }

    /// <summary>True when the worker must not start: the jobs table does not exist (see the operator guide).</summary>
    public static bool IsFatal(PreflightObservations seen) => seen?.Jobs.NotFound == true;

    private static CapabilityReport Evaluate(Needs needs, PreflightSettings settings, PreflightObservations seen)
    {
        var indexes = needs.Indexes(settings);
        var variables = new List<string>(indexes.Select(i => i.Variable));
        if (needs.JobsTable)
        {
            variables.Add(TableRequirement.Jobs.Variable);
        }

        if (needs.PoolsTable)
        {
            variables.Add(TableRequirement.Pools.Variable);
        }

        if (needs.BucketVariable is { } bucketVariable)
        {
            variables.Add(bucketVariable);
        }

        var findings = VariableFindings(settings, variables);
        if (needs.JobsTable)
        {
            Add(findings, TableRules.Table(seen.Jobs, TableRequirement.Jobs));
        }

        if (needs.PoolsTable)
        {
            Add(findings, TableRules.Table(seen.Pools, TableRequirement.Pools));
        }

        foreach (var index in indexes)
        {
            Add(findings, TableRules.Index(seen.Jobs, index));
        }

        string? note = needs.Capability == PreflightCapability.StaleSsmSweep
            ? "needs no table or index; its SSM parameters and EC2 instances are not checked"
            : null;
        if (needs.BucketVariable is { } variable)
        {
            var (finding, bucketNote) = BucketCheck(settings, seen, variable);
            Add(findings, finding);
            note = bucketNote;
        }

        return CapabilityReport.Of(needs.Capability, findings, note);
    }

    private static (PreflightFinding? Finding, string? Note) BucketCheck(
        PreflightSettings settings, PreflightObservations seen, string variable)
    {
        var archive = variable == PreflightSettings.ArchiveBucketVariable;
        var bucket = archive ? settings.ArchiveBucket : settings.ReportBucket;
        var unsetMeans = archive
            ? "old records are then deleted without an archive copy"
            : "reports are then only logged and returned";
        if (string.IsNullOrWhiteSpace(bucket))
        {
            return (null, $"{variable} is unset: {unsetMeans}");
        }

        var probe = seen.Buckets?.FirstOrDefault(b => b.Bucket == bucket);
        return probe is null
            ? (null, $"bucket {bucket} not checked here (runs-fleet doctor checks it)")
            : (ResourceRules.Bucket(probe, variable, unsetMeans), null);
    }

    private static CapabilityReport Bridge(PreflightSettings settings, IReadOnlyList<QueueProbe> queues)
    {
        var findings = VariableFindings(
            settings, [PreflightSettings.TerminationQueueUrlVariable, PreflightSettings.HousekeepingQueueUrlVariable]);
        if (settings.TerminationQueueUrl is null && findings.Count == 0)
        {
            findings.Add(PreflightFinding.NotReady(
                $"{PreflightSettings.TerminationQueueUrlVariable} is not set: the bridge has no termination queue",
                $"set {PreflightSettings.TerminationQueueUrlVariable} to the termination queue's URL (runs-fleet's "
                + "queue is runs-fleet-termination)"));
        }

        foreach (var queue in queues)
        {
            var kind = queue.Variable == PreflightSettings.HousekeepingQueueUrlVariable
                ? "housekeeping"
                : "termination";
            Add(findings, ResourceRules.Queue(queue, kind));
        }

        var note = settings.HousekeepingQueueUrl is null
            ? $"{PreflightSettings.HousekeepingQueueUrlVariable} is unset: only the termination queue is bridged"
            : null;
        return CapabilityReport.Of(PreflightCapability.SqsBridge, findings, note);
    }

    private static List<PreflightFinding> VariableFindings(
        PreflightSettings settings, IReadOnlyCollection<string> variables) =>
        settings.Problems
            .Where(p => variables.Contains(p.Variable))
            .Select(p => PreflightFinding.NotReady($"{p.Variable} {p.Problem}", $"set {p.Variable} to a valid value"))
            .ToList();

    private static void Add(List<PreflightFinding> findings, PreflightFinding? finding)
    {
        if (finding is not null)
        {
            findings.Add(finding);
        }
    }
}
