using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Aws;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>TerminateInstances for a batch, tolerating instances EC2 no longer knows.</summary>
internal sealed class InstanceTerminator
{
    private readonly IAmazonEC2 _ec2;
    private readonly ILogger _logger;

    public InstanceTerminator(IAmazonEC2 ec2, ILogger logger)
    {
        _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Terminates <paramref name="ids"/>: those EC2 accepted, and those it no longer knew.</summary>
    public async Task<(HashSet<string> Accepted, HashSet<string> Gone)> TerminateAsync(List<string> ids, CancellationToken ct)
    {
        var (response, gone) = await Ec2UnknownIds.CallWithoutUnknownAsync(
            "TerminateInstances",
            "InvalidInstanceID.NotFound",
            ids,
            remaining => _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = remaining }, ct),
            _logger);
        var accepted = (response?.TerminatingInstances ?? []).Select(s => s.InstanceId).ToHashSet(StringComparer.Ordinal);
        return (accepted, gone);
    }
}
