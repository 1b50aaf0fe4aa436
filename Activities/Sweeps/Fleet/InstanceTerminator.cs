using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Aws;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>The fate of each id of one TerminateInstances batch.</summary>
/// <param name="Accepted">EC2 took them (in its answer).</param>
/// <param name="Gone">EC2 no longer knew them (InvalidInstanceID.NotFound).</param>
/// <param name="Protected">Termination protection (DisableApiTermination) refused them (OperationNotPermitted).</param>
/// <param name="NotTried">Left out after more protected instances than one batch may drop.</param>
internal sealed record TerminationOutcome(
    HashSet<string> Accepted, HashSet<string> Gone, HashSet<string> Protected, IReadOnlyList<string> NotTried);

/// <summary>TerminateInstances for a batch, tolerating instances EC2 no longer knows and those whose
/// termination protection is on. EC2 fails the whole call for either and names the first such
/// instance ("The instance 'i-…' may not be terminated. Modify its 'disableApiTermination'
/// instance attribute and try again."): that id is dropped and the call repeated without it.</summary>
internal sealed class InstanceTerminator(IAmazonEC2 ec2, ILogger logger)
{
    /// <summary>Error code of a termination-protected instance.</summary>
    public const string ProtectedCode = "OperationNotPermitted";

    /// <summary>Protected instances one batch drops before the rest are left untried: each costs a call,
    /// and a batch full of them is an operator's choice to stop, not to walk through.</summary>
    public const int MaxProtectedPerBatch = 10;

    private const string NotFoundCode = "InvalidInstanceID.NotFound";

    private readonly IAmazonEC2 _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));
    private readonly ILogger _logger = logger ?? throw new ArgumentNullException(nameof(logger));

    /// <summary>Terminates <paramref name="ids"/>; what became of each.</summary>
    public async Task<TerminationOutcome> TerminateAsync(List<string> ids, CancellationToken ct)
    {
        var (response, refused, notTried) = await Ec2UnknownIds.CallWithoutRefusedAsync(
            "TerminateInstances",
            new Dictionary<string, int>(StringComparer.Ordinal)
            {
                [NotFoundCode] = int.MaxValue,
                [ProtectedCode] = MaxProtectedPerBatch,
            },
            ids,
            remaining => _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = remaining }, ct),
            _logger);
        var accepted = (response?.TerminatingInstances ?? [])
            .Select(s => s.InstanceId)
            .ToHashSet(StringComparer.Ordinal);
        return new(accepted, refused[NotFoundCode], refused[ProtectedCode], notTried);
    }
}
