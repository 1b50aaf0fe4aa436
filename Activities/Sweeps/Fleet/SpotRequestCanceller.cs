using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Aws;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>Cancels the spot requests of instances about to be terminated, so a persistent request
/// cannot launch them again. EC2 rejects the whole call when one request id is unknown
/// (nothing left to relaunch from it); such ids are dropped and the call repeated. Other
/// failures propagate as typed Temporal failures: the caller then terminates nothing.</summary>
internal sealed class SpotRequestCanceller(IAmazonEC2 ec2, ILogger logger)
{
    private readonly IAmazonEC2 _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
    private readonly ILogger _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <summary>Cancels <paramref name="spotRequestIds"/> (none: no call); returns how many EC2 accepted.</summary>
    public async Task<int> CancelAsync(IReadOnlyCollection<string> spotRequestIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spotRequestIds);
        var (response, _) = await Ec2UnknownIds.CallWithoutUnknownAsync(
            "CancelSpotInstanceRequests",
            "InvalidSpotInstanceRequestID.NotFound",
            spotRequestIds,
            remaining => _ec2.CancelSpotInstanceRequestsAsync(
                new CancelSpotInstanceRequestsRequest { SpotInstanceRequestIds = remaining }, cancellationToken),
            _logger);
        return response?.CancelledSpotInstanceRequests?.Count ?? 0;
    }
}
