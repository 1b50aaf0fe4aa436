using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Tests.Activities.Sweeps.PoolAudit;

public class PoolAuditMarkdownTests
{
    private static readonly DateTimeOffset AuditTime = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly InstancePrices Prices = new();

    [Fact]
    public void Renders_a_row_per_pool_and_a_totals_row()
    {
        var rows = new[]
        {
            PoolCosts.Row(new PoolDefinition("linux-large", "m5.large", 4, 2), PoolCostsTests.Tally("linux-large", "m5.large", 4, 2, 3, 1, 10, stoppedGiB: 200), Prices, 0.10m, 730),
            PoolCosts.Row(
                new PoolDefinition("arm", null, 1, 0),
                new PoolTally("arm", 2, 0, 1, 1, 0, 2) { RunningTypes = [new("c7g.xlarge", 1, 1), new("m7g.large", 1, 1)] },
                Prices,
                0.10m,
                730),
        };

        var markdown = PoolAuditMarkdown.Render(AuditTime, rows, PoolCosts.Totals(rows), 0);
        var lines = markdown.Split('\n', StringSplitOptions.TrimEntries);

        Assert.Equal("# Pool audit 2026-11-20 09:00 UTC", lines[0]);
        Assert.Equal(
            "| Pool | Instance type | Running types | Desired running | Desired stopped | Running | Stopped | Idle | Assigned | Utilization | Stopped volumes (GiB) | Idle cost ($/h) | Compute cost ($) |",
            lines[2]);
        Assert.Contains("| linux-large | m5.large | 4 m5.large | 4 | 2 | 4 | 2 | 1 | 3 | 50.0% | 200 | 0.0274 | 0.9600 |", lines);
        // A flexible pool: no instance_type, each running instance priced by its own type (0.145 + 0.0816).
        Assert.Contains("| arm | flexible | 1 c7g.xlarge, 1 m7g.large | 1 | 0 | 2 | 0 | 1 | 1 | 50.0% | 0 | 0.0000 | 0.2266 |", lines);
        Assert.Contains("| **Total** | | | | | 6 | 2 | 2 | 4 | 50.0% | 200 | 0.0274 | 1.1866 |", lines);
        Assert.DoesNotContain("Notes:", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_values_show_as_unknown_with_notes()
    {
        var rows = new[]
        {
            PoolCosts.Row(new PoolDefinition("odd|pool", "z1.unheard-of", null, 1), PoolCostsTests.Tally("odd|pool", "z1.unheard-of", 1, 0, 0, 1, 1), Prices, 0.10m, 730),
        };

        var markdown = PoolAuditMarkdown.Render(AuditTime, rows, PoolCosts.Totals(rows), 3);

        Assert.Contains("| odd\\|pool | z1.unheard-of | 1 z1.unheard-of | unknown | 1 | 1 | 0 | 1 | 0 | 0.0% | 0 | 0.0000 | unknown |", markdown, StringComparison.Ordinal);
        Assert.Contains("- odd\\|pool: no hourly price for instance type z1.unheard-of (1 running): compute cost unknown", markdown, StringComparison.Ordinal);
        Assert.Contains("totals leave out the unknown costs of 1 pool(s)", markdown, StringComparison.Ordinal);
        Assert.Contains("3 instance(s) carry a runs-fleet:pool tag of a pool missing from the pools table", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void No_pools_says_so_instead_of_an_empty_table()
    {
        var markdown = PoolAuditMarkdown.Render(AuditTime, [], PoolCosts.Totals([]), 0);

        Assert.Contains("No pools are defined", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| Pool |", markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pool-audit/", "pool-audit/2026/11/20/pool-audit-090000-sweep-pool-audit-run1.md")]
    [InlineData("pool-audit", "pool-audit/2026/11/20/pool-audit-090000-sweep-pool-audit-run1.md")]
    [InlineData("", "2026/11/20/pool-audit-090000-sweep-pool-audit-run1.md")]
    [InlineData(null, "2026/11/20/pool-audit-090000-sweep-pool-audit-run1.md")]
    public void Report_key_is_dated_and_unique_per_run(string? prefix, string expected) =>
        Assert.Equal(expected, PoolAuditReportKey.For(prefix, AuditTime, "sweep-pool-audit", "run1"));

    [Fact]
    public void Report_keys_of_two_runs_differ_and_scheduled_ids_are_made_safe()
    {
        var first = PoolAuditReportKey.For("r/", AuditTime, "sweep-pool-audit-2026-11-20T09:00:00Z", "a");
        var second = PoolAuditReportKey.For("r/", AuditTime, "sweep-pool-audit-2026-11-20T09:00:00Z", "b");

        Assert.NotEqual(first, second);
        Assert.DoesNotContain(":", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_are_per_pool_and_skip_unknown_values()
    {
        var rows = new[]
        {
            PoolCosts.Row(new PoolDefinition("a", "m5.large", 1, 1), PoolCostsTests.Tally("a", "m5.large", 1, 1, 1, 0, 1, stoppedGiB: 730), Prices, 0.10m, 730),
            PoolCosts.Row(new PoolDefinition("b", null, 1, 0), PoolCostsTests.Tally("b", "z1.unheard-of", 1, 0, 0, 1, 1), Prices, 0.10m, 730),
        };

        var metrics = PoolAuditActivities.Metrics(rows);

        Assert.Equal(
            ["PoolIdleCost/a=0.1", "PoolComputeCost/a=0.096", "PoolUtilization/a=0.5", "PoolIdleCost/b=0", "PoolUtilization/b=0"],
            metrics.Select(m => $"{m.Name}/{m.Dimensions["PoolName"]}={m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
    }
}
