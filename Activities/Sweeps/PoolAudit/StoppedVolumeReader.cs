using Amazon.EC2;
using Amazon.EC2.Model;
using RunsFleet.Activities.Aws;

namespace RunsFleet.Activities.Sweeps.PoolAudit;

/// <summary>A stopped instance of a pool whose volumes the audit prices.</summary>
public sealed record StoppedInstance(string InstanceId, string Pool);

/// <summary>Reads the EBS volumes of stopped instances: one DescribeVolumes per batch of up to
/// <see cref="MaxInstancesPerRequest"/> instances (filter attachment.instance-id, which takes at
/// most 200 values), paged by NextToken. The pools table has no volume size and runs-fleet sizes
/// each instance's root volume per job (pkg/fleet/fleet.go:595), so only EC2 knows what a stopped
/// instance keeps paying for.</summary>
internal sealed class StoppedVolumeReader
{
    /// <summary>Values one EC2 filter takes (FilterLimitExceeded above).</summary>
    public const int MaxInstancesPerRequest = 200;

    /// <summary>Smallest DescribeVolumes MaxResults.</summary>
    public const int MinPageSize = 5;

    /// <summary>Largest DescribeVolumes page.</summary>
    public const int MaxPageSize = 500;

    private readonly IAmazonEC2 _ec2;

    public StoppedVolumeReader(IAmazonEC2 ec2) => _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));

    /// <summary>GiB of the volumes attached to each of <paramref name="instanceIds"/> (an instance without a
    /// volume is absent) and the DescribeVolumes pages read. A volume attached to two of them (EBS
    /// Multi-Attach) counts once, for the first.</summary>
    public async Task<(IReadOnlyDictionary<string, long> GiBByInstance, int Pages)> ReadAsync(
        IReadOnlyList<string> instanceIds, int pageSize, Action heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(instanceIds.Count, MaxInstancesPerRequest, nameof(instanceIds));
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        if (instanceIds.Count == 0)
        {
            return (sizes, 0);
        }

        var wanted = instanceIds.ToHashSet(StringComparer.Ordinal);
        var request = new DescribeVolumesRequest
        {
            Filters = [new Filter("attachment.instance-id", [.. instanceIds])],
            MaxResults = Math.Clamp(pageSize, MinPageSize, MaxPageSize),
        };
        var pages = 0;
        do
        {
            var response = await AwsCall.RunAsync(
                "DescribeVolumes", () => _ec2.DescribeVolumesAsync(request, cancellationToken));
            pages++;
            heartbeat();
            foreach (var volume in response.Volumes ?? [])
            {
                var owner = (volume.Attachments ?? [])
                    .Select(a => a.InstanceId)
                    .FirstOrDefault(id => id is not null && wanted.Contains(id));
                if (owner is not null)
                {
                    sizes[owner] = sizes.GetValueOrDefault(owner) + (volume.Size ?? 0);
                }
            }

            request.NextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (request.NextToken is not null);

        return (sizes, pages);
    }

    /// <summary>Per pool of <paramref name="batch"/>: the GiB of its stopped instances' volumes and how many of
    /// them had none (pure; the tallies merge into the pools' counts).</summary>
    public static IReadOnlyList<PoolTally> Tallies(
        IReadOnlyList<StoppedInstance> batch, IReadOnlyDictionary<string, long> gibByInstance)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(gibByInstance);
        return batch
            .GroupBy(i => i.Pool, StringComparer.Ordinal)
            .Select(g => PoolTally.Empty(g.Key) with
            {
                StoppedVolumeGiB = g.Sum(i => gibByInstance.GetValueOrDefault(i.InstanceId)),
                StoppedWithoutVolume = g.Count(i => !gibByInstance.ContainsKey(i.InstanceId)),
            })
            .ToList();
    }
}
