namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>
/// One pool in the audit. Costs are null when they cannot be computed (a running instance of
/// a type without a price) and <see cref="Notes"/> says why; utilization is null for a pool
/// without instances.
/// </summary>
/// <param name="InstanceType">
/// The pools table's instance_type; null for a flexible pool (see <paramref name="RunningTypes"/>).
/// </param>
/// <param name="StoppedVolumeGiB">GiB of the stopped instances' EBS volumes, as EC2 reports them.</param>
/// <param name="RunningTypes">
/// The running instances by the type EC2 reports for each, with that type's price and cost.
/// </param>
/// <param name="IdleCostPerHour">USD per hour the stopped instances' EBS volumes cost.</param>
/// <param name="ComputeCost">
/// USD the running instances have cost so far: per instance, its type's hourly price x its uptime.
/// </param>
/// <param name="Utilization">Assigned / (running + stopped), 0..1.</param>
public sealed record PoolAuditRow(
    string Pool,
    string? InstanceType,
    int? DesiredRunning,
    int? DesiredStopped,
    int Running,
    int Stopped,
    int Idle,
    int Assigned,
    int LookupFailed,
    double UptimeHours,
    long StoppedVolumeGiB,
    IReadOnlyList<TypeCost> RunningTypes,
    decimal? IdleCostPerHour,
    decimal? ComputeCost,
    double? Utilization,
    IReadOnlyList<string> Notes);

/// <summary>
/// The running instances of one EC2 type in a pool: their count, summed uptime, the type's hourly
/// price and their compute cost (both null when the type has no price).
/// </summary>
public sealed record TypeCost(
    string InstanceType, int Running, double UptimeHours, decimal? HourlyPrice, decimal? ComputeCost);

/// <summary>Sums over every pool. Costs add up the pools that could be priced; <see cref="UnpricedPools"/> says how many could not.</summary>
public sealed record PoolAuditTotals(
    int Pools,
    int Running,
    int Stopped,
    int Idle,
    int Assigned,
    decimal IdleCostPerHour,
    decimal ComputeCost,
    double? Utilization,
    int UnpricedPools);

/// <summary>The audit: rows, totals, notes and the rendered markdown.</summary>
public sealed record PoolAuditReport(
    DateTimeOffset AuditTime,
    IReadOnlyList<PoolAuditRow> Rows,
    PoolAuditTotals Totals,
    int UntrackedInstances,
    string Markdown);
