using System.ComponentModel.DataAnnotations;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Tests.Activities.Sweeps.PoolAudit;

public class SweepOptionsValidationTests
{
    [Fact]
    public void Defaults_are_valid_and_match_the_issue()
    {
        var orphans = new StrayInstanceSweepOptions();
        var pools = new PoolAuditOptions();

        Assert.Empty(Errors(orphans));
        Assert.Empty(Errors(pools));
        Assert.Equal((360, 10, 50, 1000), (orphans.MaxRuntimeMinutes, orphans.BufferMinutes, orphans.MaxTerminations, orphans.PageSize));
        Assert.Equal(("runs-fleet-pools", 0.10m, 730), (pools.PoolsTableName, pools.EbsPricePerGbMonth, pools.HoursPerMonth));
    }

    [Fact]
    public void Out_of_range_settings_are_rejected_by_name()
    {
        Assert.Contains(nameof(StrayInstanceSweepOptions.PageSize), Errors(new StrayInstanceSweepOptions { PageSize = 2000 }));
        Assert.Contains(nameof(StrayInstanceSweepOptions.PageSize), Errors(new StrayInstanceSweepOptions { PageSize = 4 }));
        Assert.Contains(nameof(StrayInstanceSweepOptions.MaxTerminations), Errors(new StrayInstanceSweepOptions { MaxTerminations = -1 }));
        Assert.Contains(nameof(StrayInstanceSweepOptions.TerminateBatchSize), Errors(new StrayInstanceSweepOptions { TerminateBatchSize = 201 }));
        Assert.Empty(Errors(new StrayInstanceSweepOptions { TerminateBatchSize = 200 }));
        Assert.Contains(nameof(PoolAuditOptions.PoolsTableName), Errors(new PoolAuditOptions { PoolsTableName = "x" }));
        Assert.Contains(nameof(PoolAuditOptions.InstancePageSize), Errors(new PoolAuditOptions { InstancePageSize = 1001 }));
        Assert.Contains(nameof(PoolAuditOptions.HourlyPrices), Errors(new PoolAuditOptions { HourlyPrices = new() { ["m5.large"] = -0.1m } }));
        Assert.Empty(Errors(new PoolAuditOptions { HourlyPrices = new() { ["m5.large"] = 0m } }));
    }

    private static List<string> Errors(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.SelectMany(r => r.MemberNames).ToList();
    }
}
