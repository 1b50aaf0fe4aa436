namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>One pool in the audit. Costs are null when they cannot be computed (a running instance of
/// a type without a price) and <see cref="Notes"/> says why; utilization is null for a pool
/// without instances.</summary>
public sealed record PoolAuditRow
{
    public required string Pool { get; init; }

    /// <summary>The pools table's instance_type; null for a flexible pool (see <see cref="RunningTypes"/>).</summary>
    public required string? InstanceType { get; init; }
    public required int? DesiredRunning { get; init; }
    public required int? DesiredStopped { get; init; }
    public required int Running { get; init; }
    public required int Stopped { get; init; }
    public required int Idle { get; init; }
    public required int Assigned { get; init; }
    public required int LookupFailed { get; init; }
    public required double UptimeHours { get; init; }

    // Not required: rows documents written before volumes and types came from EC2 lack these two.

    /// <summary>GiB of the stopped instances' EBS volumes, as EC2 reports them.</summary>
    public long StoppedVolumeGiB { get; init; }

    /// <summary>The running instances by the type EC2 reports for each, with that type's price and cost.</summary>
    public IReadOnlyList<TypeCost> RunningTypes { get; init; } = [];

    /// <summary>USD per hour the stopped instances' EBS volumes cost.</summary>
    public required decimal? IdleCostPerHour { get; init; }

    /// <summary>USD the running instances have cost so far: per instance, its type's hourly price x its
    /// uptime.</summary>
    public required decimal? ComputeCost { get; init; }

    /// <summary>Assigned / (running + stopped), 0..1.</summary>
    public required double? Utilization { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }
}

/// <summary>The running instances of one EC2 type in a pool: their count, summed uptime, the type's hourly
/// price and their compute cost (both null when the type has no price).</summary>
public sealed record TypeCost(
    string InstanceType, int Running, double UptimeHours, decimal? HourlyPrice, decimal? ComputeCost);

/// <summary>Sums over every pool. Costs add up the pools that could be priced; <see cref="UnpricedPools"/> says how
/// many could not.</summary>
public sealed record PoolAuditTotals
{
    public required int Pools { get; init; }
    public required int Running { get; init; }
    public required int Stopped { get; init; }
    public required int Idle { get; init; }
    public required int Assigned { get; init; }
    public required decimal IdleCostPerHour { get; init; }
    public required decimal ComputeCost { get; init; }
    public required double? Utilization { get; init; }
    public required int UnpricedPools { get; init; }
}

/// <summary>The audit: rows, totals, notes and the rendered markdown.</summary>
public sealed record PoolAuditReport(
    DateTimeOffset AuditTime,
    IReadOnlyList<PoolAuditRow> Rows,
    PoolAuditTotals Totals,
    int UntrackedInstances,
    string Markdown);
