using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>Settings of the pool audit.</summary>
public sealed class PoolAuditOptions : IValidatableObject
{
    /// <summary>Pools table (RUNS_FLEET_POOLS_TABLE).</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_.-]{3,255}\z",
        ErrorMessage = "must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)")]
    public string PoolsTableName { get; set; } = "runs-fleet-pools";

    /// <summary>EBS price in USD per GB-month (RUNS_FLEET_POOL_AUDIT_EBS_GB_MONTH_PRICE), one rate for every
    /// volume. The default 0.10 is the one the pool audit was specified with; runs-fleet launches gp3
    /// (pkg/fleet/fleet.go:595) and prices it at 0.08 (pkg/cost/fleetpricing.go:19), so 0.08 makes the
    /// idle cost agree with runs-fleet's own fleet cost figures.</summary>
    [Range(0.0, 10.0)]
    public decimal EbsPricePerGbMonth { get; set; } = 0.10m;

    /// <summary>Hours in the month the EBS price is spread over.</summary>
    [Range(1, 744)]
    public int HoursPerMonth { get; set; } = 730;

    /// <summary>Hourly USD prices by instance type that replace or extend the built-in table
    /// (RUNS_FLEET_POOL_AUDIT_PRICES="m5.large=0.096,c7g.xlarge=0.145", see <see cref="ParsePrices"/>,
    /// or configuration keys PoolAudit:HourlyPrices:m5.large).</summary>
    public Dictionary<string, decimal> HourlyPrices { get; set; } = new(StringComparer.Ordinal);

    /// <summary>S3 bucket of the markdown reports; empty = no upload (RUNS_FLEET_REPORT_BUCKET).</summary>
    public string? ReportBucket { get; set; }

    /// <summary>Key prefix of the reports (RUNS_FLEET_REPORT_PREFIX).</summary>
    [RegularExpression(@"^[^\s]{0,200}\z", ErrorMessage = "must be at most 200 characters without spaces")]
    public string ReportPrefix { get; set; } = "pool-audit/";

    /// <summary>Pools per Scan page.</summary>
    [Range(1, 1000)]
    public int PoolsPageSize { get; set; } = 100;

    /// <summary>DescribeInstances MaxResults.</summary>
    [Range(5, 1000)]
    public int InstancePageSize { get; set; } = 1000;

    /// <summary>DescribeVolumes MaxResults (5-500), for the stopped instances' volumes.</summary>
    [Range(5, 500)]
    public int VolumePageSize { get; set; } = 500;

    /// <summary>jobs-table lookups in flight at once.</summary>
    [Range(1, 64)]
    public int LookupConcurrency { get; set; } = 8;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (type, price) in HourlyPrices)
        {
            if (string.IsNullOrWhiteSpace(type) || price < 0)
            {
                yield return new ValidationResult($"hourly price '{type}={price}' must name a type and be at least 0",
                    [nameof(HourlyPrices)]);
            }
        }
    }

    /// <summary>Parses "type=price,type=price" (prices in invariant culture, e.g. 0.096). Throws
    /// FormatException naming the bad entry, so a typo stops the worker at start.</summary>
    public static Dictionary<string, decimal> ParsePrices(string? text)
    {
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var entry in (text ?? string.Empty).Split(',',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0
                || !decimal.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture,
                    out var price))
            {
                throw new FormatException($"price entry '{entry}' is not type=price (e.g. m5.large=0.096)");
            }

            prices[parts[0]] = price;
        }

        return prices;
    }
}
