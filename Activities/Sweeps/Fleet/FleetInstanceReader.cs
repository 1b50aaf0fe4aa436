using Amazon.EC2;
using Amazon.EC2.Model;
using RunsFleet.Activities.Aws;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>Reads the fleet one DescribeInstances page at a time. The caller keeps the token, so
/// a sweep can spread the listing over many activities (and workflow runs) and never
/// holds more than a page in memory.</summary>
internal sealed class FleetInstanceReader
{
    /// <summary>Largest page DescribeInstances serves.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Smallest MaxResults DescribeInstances accepts.</summary>
    public const int MinPageSize = 5;

    private readonly IAmazonEC2 _ec2;

    /// <summary>Creates a reader over <paramref name="ec2"/>.</summary>
    public FleetInstanceReader(IAmazonEC2 ec2) => _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));

    /// <summary>Filter on a tag's value (tag:KEY=VALUE...).</summary>
    public static Filter TagFilter(string key, params string[] values) => new($"tag:{key}", [.. values]);

    /// <summary>Filter on the instance state name.</summary>
    public static Filter StateFilter(params string[] states) => new("instance-state-name", [.. states]);

    /// <summary>Filter on the instance profile's ARN (values may use * and ?).</summary>
    public static Filter InstanceProfileFilter(IEnumerable<string> arns) => new("iam-instance-profile.arn", [.. arns]);

    /// <summary>Filter on the presence of a tag key, whatever its value.</summary>
    public static Filter TagKeyFilter(string key) => new("tag-key", [key]);

    /// <summary>Reads one page matching <paramref name="filters"/>. AWS errors become typed Temporal
    /// failures (throttling retryable, bad requests not).</summary>
    public async Task<FleetInstancePage> ReadPageAsync(
        IReadOnlyList<Filter> filters, string? nextToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var request = new DescribeInstancesRequest
        {
            Filters = [.. filters],
            MaxResults = Math.Clamp(pageSize, MinPageSize, MaxPageSize),
            NextToken = string.IsNullOrEmpty(nextToken) ? null : nextToken,
        };
        var response = await AwsCall.RunAsync("DescribeInstances", () => _ec2.DescribeInstancesAsync(request,
            cancellationToken));
        var instances = (response.Reservations ?? [])
            .SelectMany(r => r.Instances ?? [])
            .Where(i => !string.IsNullOrEmpty(i.InstanceId))
            .Select(ToFleetInstance)
            .ToList();
        return new FleetInstancePage(instances, string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken);
    }

    private static FleetInstance ToFleetInstance(Instance instance)
    {
        var tags = instance.Tags ?? [];
        string? TagValue(string key) => tags.FirstOrDefault(t => string.Equals(t.Key, key,
            StringComparison.Ordinal))?.Value;

        DateTimeOffset? launched = instance.LaunchTime is { } time ? AsUtc(time) : null;
        return new FleetInstance(
            instance.InstanceId,
            instance.State?.Name?.Value ?? "unknown",
            launched,
            instance.InstanceType?.Value,
            string.Equals(TagValue(FleetTags.Protected), FleetTags.True, StringComparison.OrdinalIgnoreCase),
            TagValue(FleetTags.Pool),
            string.IsNullOrEmpty(instance.SpotInstanceRequestId) ? null : instance.SpotInstanceRequestId,
            string.Equals(TagValue(FleetTags.Managed), FleetTags.True, StringComparison.OrdinalIgnoreCase))
        {
            // Packer writes the value exactly (run_tags in packer/*.pkr.hcl), and so does runs-fleet's filter.
            IsPackerBuilder = TagValue(FleetTags.CreatedBy) == FleetTags.PackerBuilderValue,
            LaunchTag = FleetTags.LaunchTagKey(tags.Select(t => t.Key).OfType<string>()),
        };
    }

    // EC2 answers in UTC; an unspecified kind must not be shifted by the machine's zone.
    private static DateTimeOffset AsUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Unspecified => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        _ => new DateTimeOffset(time.ToUniversalTime()),
    };
}
