using System.Globalization;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>The audit's arithmetic as pure functions.</summary>
internal static class PoolCosts
{
    /// <summary>USD per hour of keeping volumes of <paramref name="volumeGiB"/> in total: GiB x price per
    /// GB-month / hours per month (runs-fleet's EBSHourlyCost, pkg/cost/fleetpricing.go:27, per GiB).</summary>
    public static decimal IdleCostPerHour(long volumeGiB, decimal pricePerGbMonth, int hoursPerMonth) =>
        Math.Max(0, volumeGiB) * pricePerGbMonth / hoursPerMonth;

    /// <summary>USD running instances have cost: hourly price x the sum of their uptimes in hours.</summary>
    public static decimal ComputeCost(decimal hourlyPrice, double uptimeHours) =>
        hourlyPrice * (decimal)Math.Max(0, uptimeHours);

    /// <summary>Assigned / (running + stopped); null when the pool has no instances.</summary>
    public static double? Utilization(int assigned, int running, int stopped) =>
        running + stopped == 0 ? null : (double)assigned / (running + stopped);

    /// <summary>Prices the running instances per EC2 type. Running instances the tally has no type for (none
    /// when EC2 listed them) count as <see cref="TypeUptime.UnknownType"/>, so they are never free.</summary>
    public static IReadOnlyList<TypeCost> TypeCosts(PoolTally tally, InstancePrices prices)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(prices);
        var types = tally.RunningTypes;
        var untyped = tally.Running - types.Sum(t => t.Running);
        if (untyped > 0)
        {
            var uptime = Math.Max(0, tally.UptimeHours - types.Sum(t => t.UptimeHours));
            types = TypeUptime.Merge(types, [new TypeUptime(TypeUptime.UnknownType, untyped, uptime)]);
        }

        return types
            .Select(t => prices.HourlyPrice(t.InstanceType) is { } price
                ? new TypeCost(t.InstanceType, t.Running, t.UptimeHours, price, ComputeCost(price, t.UptimeHours))
                : new TypeCost(t.InstanceType, t.Running, t.UptimeHours, null, null))
            .ToList();
    }

    /// <summary>Builds a pool's row from its definition, its counts and the prices.</summary>
    public static PoolAuditRow Row(
        PoolDefinition pool, PoolTally tally, InstancePrices prices, decimal pricePerGbMonth, int hoursPerMonth)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(tally);
        var notes = new List<string>();
        var types = TypeCosts(tally, prices);
        var unpriced = types.Where(t => t.ComputeCost is null).ToList();

        // One unpriced instance makes the pool's compute cost unknown: a partial sum would read as the whole.
        decimal? compute = unpriced.Count == 0 ? types.Sum(t => t.ComputeCost ?? 0m) : null;
        if (unpriced.Count > 0)
        {
            var list = string.Join(
                ", ",
                unpriced.Select(t => $"{t.InstanceType} ({Number(t.Running)} running)"));
            notes.Add($"no hourly price for instance type {list}: compute cost unknown");
        }

        if (tally.StoppedWithoutVolume > 0)
        {
            notes.Add(
                Number(tally.StoppedWithoutVolume)
                + " stopped instances had no volume in DescribeVolumes (terminated since the listing?): "
                + "not in the idle cost");
        }

        if (tally.LookupFailed > 0)
        {
            notes.Add(
                Number(tally.LookupFailed)
                + " running instances could not be looked up in the jobs table: neither idle nor assigned");
        }

        return new PoolAuditRow
        {
            Pool = pool.Name, InstanceType = pool.InstanceType, DesiredRunning = pool.DesiredRunning,
            DesiredStopped = pool.DesiredStopped, Running = tally.Running, Stopped = tally.Stopped,
            Idle = tally.Idle, Assigned = tally.Assigned, LookupFailed = tally.LookupFailed,
            UptimeHours = tally.UptimeHours, StoppedVolumeGiB = tally.StoppedVolumeGiB, RunningTypes = types,
            IdleCostPerHour = IdleCostPerHour(tally.StoppedVolumeGiB, pricePerGbMonth, hoursPerMonth),
            ComputeCost = compute, Utilization = Utilization(tally.Assigned, tally.Running, tally.Stopped),
            Notes = notes,
        };
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Sums the rows; costs of unpriced pools are left out and counted.</summary>
    public static PoolAuditTotals Totals(IReadOnlyList<PoolAuditRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var running = rows.Sum(r => r.Running);
        var stopped = rows.Sum(r => r.Stopped);
        var assigned = rows.Sum(r => r.Assigned);
        return new PoolAuditTotals
        {
            Pools = rows.Count, Running = running, Stopped = stopped,
            Idle = rows.Sum(r => r.Idle),
            Assigned = assigned,
            IdleCostPerHour = rows.Sum(r => r.IdleCostPerHour ?? 0m),
            ComputeCost = rows.Sum(r => r.ComputeCost ?? 0m),
            Utilization = Utilization(assigned, running, stopped),
            UnpricedPools = rows.Count(r => r.ComputeCost is null || r.IdleCostPerHour is null),
        };
    }
}
