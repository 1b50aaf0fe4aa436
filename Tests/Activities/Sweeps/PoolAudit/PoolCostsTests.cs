using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Tests.Activities.Sweeps.PoolAudit;

public class PoolCostsTests
{
    private static readonly InstancePrices Prices = new(new Dictionary<string, decimal> { ["x9.custom"] = 1.5m, ["m5.large"] = 0.2m });

    /// <summary>A tally whose running instances are all of <paramref name="type"/>, as EC2 listed them.</summary>
    internal static PoolTally Tally(string pool, string type, int running, int stopped, int assigned, int idle, double uptime, long stoppedGiB = 0) =>
        new PoolTally(pool, running, stopped, assigned, idle, 0, uptime)
        {
            RunningTypes = running == 0 ? [] : [new TypeUptime(type, running, uptime)],
            StoppedVolumeGiB = stoppedGiB,
        };

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(730, 0.08)]
    [InlineData(1460, 0.16)]
    [InlineData(300, 0.032876712328767123287671233)]
    public void Idle_cost_is_the_volumes_gib_times_price_per_gb_month_over_730(long gib, double expected) =>
        Assert.Equal((decimal)expected, decimal.Round(PoolCosts.IdleCostPerHour(gib, 0.08m, 730), 10), 10);

    [Theory]
    [InlineData(0.096, 0.0, 0.0)]
    [InlineData(0.096, 10.0, 0.96)]
    [InlineData(1.5, 2.5, 3.75)]
    [InlineData(1.0, -1.0, 0.0)]
    public void Compute_cost_is_price_times_summed_uptime(double price, double uptimeHours, double expected) =>
        Assert.Equal((decimal)expected, PoolCosts.ComputeCost((decimal)price, uptimeHours), 10);

    [Theory]
    [InlineData(0, 0, 0, null)]
    [InlineData(0, 2, 2, 0.0)]
    [InlineData(2, 2, 2, 0.5)]
    [InlineData(4, 4, 0, 1.0)]
    public void Utilization_is_assigned_over_running_plus_stopped(int assigned, int running, int stopped, double? expected) =>
        Assert.Equal(expected, PoolCosts.Utilization(assigned, running, stopped));

    [Fact]
    public void Builtin_prices_can_be_overridden_and_extended()
    {
        Assert.Equal(0.2m, Prices.HourlyPrice("m5.large"));
        Assert.Equal(1.5m, Prices.HourlyPrice("x9.custom"));
        Assert.Equal(InstancePrices.BuiltIn["c7g.xlarge"], Prices.HourlyPrice("c7g.xlarge"));
        Assert.Null(Prices.HourlyPrice("z1.unheard-of"));
        Assert.Null(Prices.HourlyPrice(null));
    }

    [Fact]
    public void The_builtin_table_prices_the_families_runs_fleet_runs_linear_in_size()
    {
        // runs-fleet 2bb4703: "the fleet runs r8g, c7i, c6i, c8g, m6i, m7i and m8g".
        foreach (var family in new[] { "r8g", "c7i", "c6i", "c8g", "m6i", "m7i", "m8g", "c7g", "m7g", "r7g", "r7i", "r6i" })
        {
            var large = InstancePrices.BuiltIn[family + ".large"];
            Assert.Equal(large * 2, InstancePrices.BuiltIn[family + ".xlarge"]);
            Assert.Equal(large * 4, InstancePrices.BuiltIn[family + ".2xlarge"]);
            Assert.Equal(large * 8, InstancePrices.BuiltIn[family + ".4xlarge"]);
        }
    }

    [Fact]
    public void Each_running_instance_is_priced_by_the_type_ec2_reports_not_the_pools_type()
    {
        // A flexible pool (no instance_type) running two types, and a fixed pool whose row names another type.
        var tally = new PoolTally("flex", 3, 0, 2, 1, 0, 6) { RunningTypes = [new("m5.large", 2, 4), new("x9.custom", 1, 2)] };

        var flexible = PoolCosts.Row(new PoolDefinition("flex", null, 3, 0), tally, Prices, 0.08m, 730);
        var misnamed = PoolCosts.Row(new PoolDefinition("flex", "z1.unheard-of", 3, 0), tally, Prices, 0.08m, 730);

        Assert.Equal(0.2m * 4 + 1.5m * 2, flexible.ComputeCost);
        Assert.Equal(
            [new TypeCost("m5.large", 2, 4, 0.2m, 0.8m), new TypeCost("x9.custom", 1, 2, 1.5m, 3.0m)],
            flexible.RunningTypes);
        Assert.Null(flexible.InstanceType);
        Assert.Empty(flexible.Notes);
        Assert.Equal(flexible.ComputeCost, misnamed.ComputeCost);
    }

    [Fact]
    public void One_running_instance_of_an_unknown_type_makes_the_compute_cost_unknown_not_a_partial_sum()
    {
        var tally = new PoolTally("gpu", 3, 1, 1, 2, 0, 5) { RunningTypes = [new("m5.large", 1, 1), new("z1.unheard-of", 2, 4)], StoppedVolumeGiB = 50 };

        var row = PoolCosts.Row(new PoolDefinition("gpu", null, 2, 1), tally, Prices, 0.08m, 730);

        Assert.Null(row.ComputeCost);
        Assert.Equal(new TypeCost("z1.unheard-of", 2, 4, null, null), row.RunningTypes[1]);
        Assert.NotNull(row.IdleCostPerHour);
        Assert.Equal(["no hourly price for instance type z1.unheard-of (2 running): compute cost unknown"], row.Notes);
    }

    [Fact]
    public void Running_instances_the_tally_has_no_type_for_are_of_unknown_type()
    {
        var row = PoolCosts.Row(new PoolDefinition("p", "m5.large", 1, 1), new PoolTally("p", 2, 0, 0, 2, 0, 3) { RunningTypes = [new("m5.large", 1, 1)] }, Prices, 0.08m, 730);

        Assert.Null(row.ComputeCost);
        Assert.Equal(new TypeCost(TypeUptime.UnknownType, 1, 2, null, null), row.RunningTypes.Single(t => t.InstanceType == TypeUptime.UnknownType));
    }

    [Fact]
    public void Idle_cost_comes_from_the_stopped_instances_volumes()
    {
        var row = PoolCosts.Row(new PoolDefinition("p", "m5.large", 1, 3), Tally("p", "m5.large", 1, 3, 0, 1, 2, stoppedGiB: 30 + 30 + 670), Prices, 0.08m, 730);

        Assert.Equal(730, row.StoppedVolumeGiB);
        Assert.Equal(0.08m, row.IdleCostPerHour);
        Assert.Equal(0.4m, row.ComputeCost);
        Assert.Empty(row.Notes);
    }

    [Fact]
    public void Stopped_instances_without_a_volume_are_noted()
    {
        var tally = Tally("p", "m5.large", 0, 2, 0, 0, 0, stoppedGiB: 30) with { StoppedWithoutVolume = 1 };

        var row = PoolCosts.Row(new PoolDefinition("p", "m5.large", 0, 2), tally, Prices, 0.08m, 730);

        Assert.Contains(row.Notes, n => n.StartsWith("1 stopped instances had no volume in DescribeVolumes", StringComparison.Ordinal));
    }

    [Fact]
    public void Pool_without_instances_costs_nothing_and_has_no_utilization()
    {
        var row = PoolCosts.Row(new PoolDefinition("empty", "m5.large", 0, 0), PoolTally.Empty("empty"), Prices, 0.08m, 730);

        Assert.Equal(0m, row.ComputeCost);
        Assert.Equal(0m, row.IdleCostPerHour);
        Assert.Null(row.Utilization);
        Assert.Empty(row.RunningTypes);
        Assert.Empty(row.Notes);
    }

    [Fact]
    public void Totals_sum_known_costs_and_count_unpriced_pools()
    {
        var rows = new[]
        {
            PoolCosts.Row(new PoolDefinition("a", "m5.large", 2, 2), Tally("a", "m5.large", 2, 2, 1, 1, 10, 730), Prices, 0.10m, 730),
            PoolCosts.Row(new PoolDefinition("b", null, 1, 0), Tally("b", "x9.custom", 1, 0, 1, 0, 2), Prices, 0.10m, 730),
            PoolCosts.Row(new PoolDefinition("c", "z1.unheard-of", 1, 1), Tally("c", "z1.unheard-of", 1, 1, 0, 1, 100, 1460), Prices, 0.10m, 730),
        };

        var totals = PoolCosts.Totals(rows);

        Assert.Equal(3, totals.Pools);
        Assert.Equal(4, totals.Running);
        Assert.Equal(3, totals.Stopped);
        Assert.Equal(2, totals.Idle);
        Assert.Equal(2, totals.Assigned);
        Assert.Equal(0.2m * 10 + 1.5m * 2, totals.ComputeCost);
        Assert.Equal(0.3m, decimal.Round(totals.IdleCostPerHour, 10));
        Assert.Equal(2.0 / 7, totals.Utilization);
        Assert.Equal(1, totals.UnpricedPools);
    }

    [Fact]
    public void Tallies_of_the_same_pool_merge_across_pages_with_their_types_and_volumes()
    {
        var merged = PoolTally.Merge(
            [new PoolTally("a", 1, 0, 1, 0, 0, 1.5) { RunningTypes = [new("m5.large", 1, 1.5)] }, new PoolTally("b", 0, 2, 0, 0, 0, 0)],
            [
                new PoolTally("a", 2, 1, 0, 1, 1, 2.5) { RunningTypes = [new("c7g.large", 1, 0.5), new("m5.large", 1, 2)] },
                PoolTally.Empty("a") with { StoppedVolumeGiB = 40, StoppedWithoutVolume = 1 },
            ]);

        Assert.Equal(
            [
                new PoolTally("a", 3, 1, 1, 1, 1, 4.0)
                {
                    RunningTypes = [new("c7g.large", 1, 0.5), new("m5.large", 2, 3.5)],
                    StoppedVolumeGiB = 40,
                    StoppedWithoutVolume = 1,
                },
                new PoolTally("b", 0, 2, 0, 0, 0, 0),
            ],
            merged);
    }

    [Fact]
    public void Counting_a_running_instance_keeps_its_ec2_type()
    {
        var at = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
        var instance = new FleetInstance("i-1", "running", at.AddHours(-2), "c8g.xlarge", false, "p");

        var tally = PoolTally.Empty("p")
            .Count(instance, null, at)
            .Count(instance with { InstanceId = "i-2", InstanceType = null }, null, at)
            .Count(instance with { InstanceId = "i-3", State = "stopped" }, null, at);

        Assert.Equal([new TypeUptime("c8g.xlarge", 1, 2), new TypeUptime(TypeUptime.UnknownType, 1, 2)], tally.RunningTypes);
        Assert.Equal((2, 1, 2), (tally.Running, tally.Stopped, tally.LookupFailed));
    }

    [Fact]
    public void Price_list_parses_and_rejects_typos()
    {
        Assert.Equal(
            new Dictionary<string, decimal> { ["m5.large"] = 0.096m, ["c7g.xlarge"] = 0.145m },
            PoolAuditOptions.ParsePrices(" m5.large=0.096 , c7g.xlarge=0.145"));
        Assert.Empty(PoolAuditOptions.ParsePrices(null));
        Assert.Throws<FormatException>(() => PoolAuditOptions.ParsePrices("m5.large:0.096"));
        Assert.Throws<FormatException>(() => PoolAuditOptions.ParsePrices("m5.large=cheap"));
    }
}
