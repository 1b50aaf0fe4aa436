using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
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

    // EC2 rejects the whole call when one id no longer exists and names the unknown ids in
    // the message; those are dropped and the call repeated, so one vanished instance does
    // not keep the rest of the batch alive.
    public async Task<(HashSet<string> Accepted, HashSet<string> Gone)> TerminateAsync(List<string> ids, CancellationToken ct)
    {
        var gone = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var remaining = ids.Where(id => !gone.Contains(id)).ToList();
            if (remaining.Count == 0)
            {
                return (new HashSet<string>(StringComparer.Ordinal), gone);
            }

            var response = await AwsCall.RunAsync("TerminateInstances", async () =>
            {
                try
                {
                    return await _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = remaining }, ct);
                }
                catch (AmazonServiceException ex) when (ex.ErrorCode == "InvalidInstanceID.NotFound"
                    && UnknownIds(ex.Message, remaining) is { Count: > 0 } unknown)
                {
                    _logger.LogWarning("TerminateInstances: EC2 no longer knows {InstanceIds}; retrying without them", string.Join(",", unknown));
                    gone.UnionWith(unknown);
                    return null;
                }
            });
            if (response is not null)
            {
                var accepted = (response.TerminatingInstances ?? []).Select(s => s.InstanceId).ToHashSet(StringComparer.Ordinal);
                return (accepted, gone);
            }
        }
    }

    private static List<string> UnknownIds(string? message, List<string> requested) =>
        requested.Where(id => message?.Contains(id, StringComparison.Ordinal) == true).ToList();
}
