using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Tests.Sweeps.PoolAudit;

public class PoolCostsTests
{
    private static readonly InstancePrices Prices = new(new Dictionary<string, decimal> { ["x9.custom"] = 1.5m, ["m5.large"] = 0.2m });

    [Theory]
    [InlineData(0, 100, 0.0)]
    [InlineData(1, 730, 0.1)]
    [InlineData(10, 73, 0.1)]
    [InlineData(3, 100, 0.041095890410958904109589041)]
    public void Idle_cost_is_stopped_times_gb_times_price_per_gb_month_over_730(int stopped, int gb, double expected) =>
        Assert.Equal((decimal)expected, decimal.Round(PoolCosts.IdleCostPerHour(stopped, gb, 0.10m, 730), 10), 10);

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
    public void Unknown_instance_type_is_reported_not_priced_as_zero()
    {
        var row = PoolCosts.Row(new PoolDefinition("gpu", "z1.unheard-of", 2, 1, 50), new PoolTally("gpu", 2, 1, 1, 1, 0, 5), Prices, 0.10m, 730);

        Assert.Null(row.ComputeCost);
        Assert.Null(row.HourlyPrice);
        Assert.NotNull(row.IdleCostPerHour);
        Assert.Contains(row.Notes, n => n.Contains("z1.unheard-of", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_ebs_size_leaves_idle_cost_unknown()
    {
        var row = PoolCosts.Row(new PoolDefinition("p", "m5.large", 1, 1, null), new PoolTally("p", 1, 1, 0, 1, 0, 2), Prices, 0.10m, 730);

        Assert.Null(row.IdleCostPerHour);
        Assert.Equal(0.4m, row.ComputeCost);
        Assert.Contains(row.Notes, n => n.Contains("ebs_volume_gb", StringComparison.Ordinal));
    }

    [Fact]
    public void Pool_without_instances_costs_nothing_and_has_no_utilization()
    {
        var row = PoolCosts.Row(new PoolDefinition("empty", "m5.large", 0, 0, 30), PoolTally.Empty("empty"), Prices, 0.10m, 730);

        Assert.Equal(0m, row.ComputeCost);
        Assert.Equal(0m, row.IdleCostPerHour);
        Assert.Null(row.Utilization);
        Assert.Empty(row.Notes);
    }

    [Fact]
    public void Totals_sum_known_costs_and_count_unpriced_pools()
    {
        var rows = new[]
        {
            PoolCosts.Row(new PoolDefinition("a", "m5.large", 2, 2, 730), new PoolTally("a", 2, 2, 1, 1, 0, 10), Prices, 0.10m, 730),
            PoolCosts.Row(new PoolDefinition("b", "x9.custom", 1, 0, 730), new PoolTally("b", 1, 0, 1, 0, 0, 2), Prices, 0.10m, 730),
            PoolCosts.Row(new PoolDefinition("c", "z1.unheard-of", 1, 1, 730), new PoolTally("c", 1, 1, 0, 1, 0, 100), Prices, 0.10m, 730),
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
    public void Tallies_of_the_same_pool_merge_across_pages()
    {
        var merged = PoolTally.Merge(
            [new PoolTally("a", 1, 0, 1, 0, 0, 1.5), new PoolTally("b", 0, 2, 0, 0, 0, 0)],
            [new PoolTally("a", 2, 1, 0, 1, 1, 2.5)]);

        Assert.Equal([new PoolTally("a", 3, 1, 1, 1, 1, 4.0), new PoolTally("b", 0, 2, 0, 0, 0, 0)], merged);
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
