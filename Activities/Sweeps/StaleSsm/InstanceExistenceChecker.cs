using Amazon.EC2;
using Amazon.EC2.Model;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;

namespace RunsFleet.Activities.Sweeps.StaleSsm;

/// <summary>Looks up the EC2 state of runner instances. It asks with an instance-id FILTER, not the
/// InstanceIds parameter: with InstanceIds one unknown id fails the whole call
/// (InvalidInstanceID.NotFound), with a filter unknown ids are simply absent from the answer.</summary>
internal sealed class InstanceExistenceChecker(IAmazonEC2 ec2)
{
    /// <summary>Values per filter that DescribeInstances accepts in one request.</summary>
    public const int MaxIdsPerRequest = Ec2Limits.MaxFilterValues;

    private readonly IAmazonEC2 _ec2 = ec2 ?? throw new ArgumentNullException(nameof(ec2));

    /// <summary>Returns instance id -> state name (running, terminated, ...) for the ids EC2 knows;
    /// ids it does not know are left out. No ids: no call.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetStatesAsync(IReadOnlyCollection<string> instanceIds,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var batch in instanceIds.Distinct(StringComparer.Ordinal).Chunk(MaxIdsPerRequest))
        {
            string? nextToken = null;
            do
            {
                var request = new DescribeInstancesRequest
                {
                    Filters = [new Filter("instance-id", [.. batch])],
                    MaxResults = 1000,
                    NextToken = nextToken,
                };
                var response = await AwsCall.RunAsync("DescribeInstances", () => _ec2.DescribeInstancesAsync(request,
                    cancellationToken));
                foreach (var instance in (response.Reservations ?? []).SelectMany(r => r.Instances ?? []))
                {
                    if (instance.InstanceId is { } id)
                    {
                        states[id] = instance.State?.Name?.Value ?? "unknown";
                    }
                }

                nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
            }
            while (nextToken is not null);

            // A page of thousands of ids makes dozens of calls: each one proves the activity alive.
            CurrentActivity.Heartbeat();
        }

        return states;
    }
}
