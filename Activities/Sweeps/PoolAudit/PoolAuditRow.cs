namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>
/// One pool in the audit. Costs are null when they cannot be computed (unknown instance
/// type or missing EBS size) and <see cref="Notes"/> says why; utilization is null for a
/// pool without instances.
/// </summary>
/// <param name="IdleCostPerHour">USD per hour the stopped instances' EBS volumes cost.</param>
/// <param name="ComputeCost">USD the running instances have cost so far: hourly price x summed uptime hours.</param>
/// <param name="Utilization">Assigned / (running + stopped), 0..1.</param>
public sealed record PoolAuditRow(
    string Pool,
    string? InstanceType,
    int? DesiredRunning,
    int? DesiredStopped,
    int? EbsVolumeGb,
    int Running,
    int Stopped,
    int Idle,
    int Assigned,
    int LookupFailed,
    double UptimeHours,
    decimal? HourlyPrice,
    decimal? IdleCostPerHour,
    decimal? ComputeCost,
    double? Utilization,
    IReadOnlyList<string> Notes);

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
