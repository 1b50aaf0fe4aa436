namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>Hourly prices of common runner instance types: on-demand Linux list prices in
/// us-east-1 (USD). They are an upper bound for spot pools; configure real prices with
/// <see cref="PoolAuditOptions.HourlyPrices"/>. A type in neither table has no price.</summary>
internal sealed class InstancePrices
{
    /// <summary>The built-in table.</summary>
    public static IReadOnlyDictionary<string, decimal> BuiltIn { get; } = new Dictionary<string,
        decimal>(StringComparer.Ordinal)
    {
        ["t3.micro"] = 0.0104m,
        ["t3.small"] = 0.0208m,
        ["t3.medium"] = 0.0416m,
        ["t3.large"] = 0.0832m,
        ["t3.xlarge"] = 0.1664m,
        ["t3.2xlarge"] = 0.3328m,
        ["t3a.medium"] = 0.0376m,
        ["t3a.large"] = 0.0752m,
        ["t3a.xlarge"] = 0.1504m,
        ["t4g.medium"] = 0.0336m,
        ["t4g.large"] = 0.0672m,
        ["t4g.xlarge"] = 0.1344m,
        ["m5.large"] = 0.096m,
        ["m5.xlarge"] = 0.192m,
        ["m5.2xlarge"] = 0.384m,
        ["m5.4xlarge"] = 0.768m,
        ["m6i.large"] = 0.096m,
        ["m6i.xlarge"] = 0.192m,
        ["m6i.2xlarge"] = 0.384m,
        ["m6i.4xlarge"] = 0.768m,
        ["m7i.large"] = 0.1008m,
        ["m7i.xlarge"] = 0.2016m,
        ["m7i.2xlarge"] = 0.4032m,
        ["m7i.4xlarge"] = 0.8064m,
        ["m6g.large"] = 0.077m,
        ["m6g.xlarge"] = 0.154m,
        ["m6g.2xlarge"] = 0.308m,
        ["m7g.large"] = 0.0816m,
        ["m7g.xlarge"] = 0.1632m,
        ["m7g.2xlarge"] = 0.3264m,
        ["m7g.4xlarge"] = 0.6528m,
        ["c5.large"] = 0.085m,
        ["c5.xlarge"] = 0.17m,
        ["c5.2xlarge"] = 0.34m,
        ["c5.4xlarge"] = 0.68m,
        ["c6i.large"] = 0.085m,
        ["c6i.xlarge"] = 0.17m,
        ["c6i.2xlarge"] = 0.34m,
        ["c6i.4xlarge"] = 0.68m,
        ["c7i.large"] = 0.08925m,
        ["c7i.xlarge"] = 0.1785m,
        ["c7i.2xlarge"] = 0.357m,
        ["c7i.4xlarge"] = 0.714m,
        ["c6g.large"] = 0.068m,
        ["c6g.xlarge"] = 0.136m,
        ["c6g.2xlarge"] = 0.272m,
        ["c7g.large"] = 0.0725m,
        ["c7g.xlarge"] = 0.145m,
        ["c7g.2xlarge"] = 0.29m,
        ["c7g.4xlarge"] = 0.58m,
        // The Graviton 4 and r families runs-fleet's fleet runs (runs-fleet 2bb4703: "the fleet runs
        // r8g, c7i, c6i, c8g, m6i, m7i and m8g"; pkg/cost/reporter.go:53 prices the same families).
        // Within a family the price is linear in vCPU, so the larger sizes are the large's multiples.
        ["c8g.medium"] = 0.03988m,
        ["c8g.large"] = 0.07976m,
        ["c8g.xlarge"] = 0.15952m,
        ["c8g.2xlarge"] = 0.31904m,
        ["c8g.4xlarge"] = 0.63808m,
        ["m8g.medium"] = 0.04488m,
        ["m8g.large"] = 0.08976m,
        ["m8g.xlarge"] = 0.17952m,
        ["m8g.2xlarge"] = 0.35904m,
        ["m8g.4xlarge"] = 0.71808m,
        ["r8g.medium"] = 0.05891m,
        ["r8g.large"] = 0.11782m,
        ["r8g.xlarge"] = 0.23564m,
        ["r8g.2xlarge"] = 0.47128m,
        ["r8g.4xlarge"] = 0.94256m,
        ["r7g.medium"] = 0.05355m,
        ["r7g.large"] = 0.1071m,
        ["r7g.xlarge"] = 0.2142m,
        ["r7g.2xlarge"] = 0.4284m,
        ["r7g.4xlarge"] = 0.8568m,
        ["r7i.large"] = 0.1323m,
        ["r7i.xlarge"] = 0.2646m,
        ["r7i.2xlarge"] = 0.5292m,
        ["r7i.4xlarge"] = 1.0584m,
        ["r5.large"] = 0.126m,
        ["r5.xlarge"] = 0.252m,
        ["r6i.large"] = 0.126m,
        ["r6i.xlarge"] = 0.252m,
        ["r6i.2xlarge"] = 0.504m,
        ["r6i.4xlarge"] = 1.008m,
    };

    private readonly Dictionary<string, decimal> _prices;

    /// <summary>The built-in table with <paramref name="overrides"/> replacing or adding entries.</summary>
    public InstancePrices(IReadOnlyDictionary<string, decimal>? overrides = null)
    {
        _prices = new Dictionary<string, decimal>(BuiltIn, StringComparer.Ordinal);
        foreach (var (type, price) in overrides ?? new Dictionary<string, decimal>())
        {
            _prices[type] = price;
        }
    }

    /// <summary>The hourly price of <paramref name="instanceType"/>, or null when unknown.</summary>
    public decimal? HourlyPrice(string? instanceType) =>
        instanceType is not null && _prices.TryGetValue(instanceType, out var price) ? price : null;
}
