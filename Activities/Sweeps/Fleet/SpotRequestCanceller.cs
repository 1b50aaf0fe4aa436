using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Aws;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>
/// Cancels the spot requests of instances about to be terminated, so a persistent request
/// cannot launch them again. EC2 rejects the whole call when one request id is unknown
/// (nothing left to relaunch from it); such ids are dropped and the call repeated. Other
/// failures propagate as typed Temporal failures: the caller then terminates nothing.
/// </summary>
internal sealed class SpotRequestCanceller
{
    private readonly IAmazonEC2 _ec2;
    private readonly ILogger _logger;

    public SpotRequestCanceller(IAmazonEC2 ec2, ILogger logger)
    {
        _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Cancels <paramref name="spotRequestIds"/> (none: no call); returns how many EC2 accepted.</summary>
    public async Task<int> CancelAsync(IReadOnlyCollection<string> spotRequestIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spotRequestIds);
        var remaining = spotRequestIds.Distinct(StringComparer.Ordinal).ToList();
        while (remaining.Count > 0)
        {
            var ids = remaining;
            var response = await AwsCall.RunAsync("CancelSpotInstanceRequests", async () =>
            {
                try
                {
                    return await _ec2.CancelSpotInstanceRequestsAsync(new CancelSpotInstanceRequestsRequest { SpotInstanceRequestIds = ids }, cancellationToken);
                }
                catch (AmazonServiceException ex) when (ex.ErrorCode == "InvalidSpotInstanceRequestID.NotFound"
                    && ids.Where(id => ex.Message?.Contains(id, StringComparison.Ordinal) == true).ToList() is { Count: > 0 } unknown)
                {
                    _logger.LogWarning("CancelSpotInstanceRequests: EC2 no longer knows {SpotRequestIds}; retrying without them", string.Join(",", unknown));
                    remaining = ids.Except(unknown, StringComparer.Ordinal).ToList();
                    return null;
                }
            });
            if (response is not null)
            {
                return response.CancelledSpotInstanceRequests?.Count ?? 0;
            }
        }

        return 0;
    }
}
