namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>The audit's arithmetic as pure functions.</summary>
internal static class PoolCosts
{
    /// <summary>USD per hour of keeping <paramref name="stopped"/> instances' volumes: stopped x GB x price per GB-month / hours per month.</summary>
    public static decimal IdleCostPerHour(int stopped, int ebsVolumeGb, decimal pricePerGbMonth, int hoursPerMonth) =>
        stopped * ebsVolumeGb * pricePerGbMonth / hoursPerMonth;

    /// <summary>
    /// USD the running instances have cost: hourly price x the sum of their uptimes in
    /// hours (which is running x price x mean uptime).
    /// </summary>
    public static decimal ComputeCost(decimal hourlyPrice, double uptimeHours) =>
        hourlyPrice * (decimal)Math.Max(0, uptimeHours);

    /// <summary>Assigned / (running + stopped); null when the pool has no instances.</summary>
    public static double? Utilization(int assigned, int running, int stopped) =>
        running + stopped == 0 ? null : (double)assigned / (running + stopped);

    /// <summary>Builds a pool's row from its definition, its counts and the prices.</summary>
    public static PoolAuditRow Row(PoolDefinition pool, PoolTally tally, InstancePrices prices, decimal pricePerGbMonth, int hoursPerMonth)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(prices);
        var notes = new List<string>();
        var hourly = prices.HourlyPrice(pool.InstanceType);
        decimal? compute = null;
        if (hourly is { } price)
        {
            compute = ComputeCost(price, tally.UptimeHours);
        }
        else if (pool.InstanceType is null)
        {
            notes.Add("no instance_type in the pools table: compute cost unknown");
        }
        else
        {
            notes.Add($"no hourly price for instance type {pool.InstanceType}: compute cost unknown");
        }

        decimal? idle = null;
        if (pool.EbsVolumeGb is { } gb)
        {
            idle = IdleCostPerHour(tally.Stopped, gb, pricePerGbMonth, hoursPerMonth);
        }
        else
        {
            notes.Add("no ebs_volume_gb in the pools table: idle cost unknown");
        }

        if (tally.LookupFailed > 0)
        {
            notes.Add($"{tally.LookupFailed} running instances could not be looked up in the jobs table: neither idle nor assigned");
        }

        return new PoolAuditRow(
            pool.Name,
            pool.InstanceType,
            pool.DesiredRunning,
            pool.DesiredStopped,
            pool.EbsVolumeGb,
            tally.Running,
            tally.Stopped,
            tally.Idle,
            tally.Assigned,
            tally.LookupFailed,
            tally.UptimeHours,
            hourly,
            idle,
            compute,
            Utilization(tally.Assigned, tally.Running, tally.Stopped),
            notes);
    }

    /// <summary>Sums the rows; costs of unpriced pools are left out and counted.</summary>
    public static PoolAuditTotals Totals(IReadOnlyList<PoolAuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var running = rows.Sum(r => r.Running);
        var stopped = rows.Sum(r => r.Stopped);
        var assigned = rows.Sum(r => r.Assigned);
        return new PoolAuditTotals(
            rows.Count,
            running,
            stopped,
            rows.Sum(r => r.Idle),
            assigned,
            rows.Sum(r => r.IdleCostPerHour ?? 0m),
            rows.Sum(r => r.ComputeCost ?? 0m),
            Utilization(assigned, running, stopped),
            rows.Count(r => r.ComputeCost is null || r.IdleCostPerHour is null));
    }
}
