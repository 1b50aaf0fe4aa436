namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>The few facts the sweeps need about one EC2 instance, cut down from DescribeInstances
/// so activity results stay small.</summary>
/// <param name="InstanceId">EC2 instance id (i-...).</param>
/// <param name="State">EC2 state name (pending, running, stopped, ...).</param>
/// <param name="LaunchTime">When EC2 says it launched; null when the answer had none.</param>
/// <param name="InstanceType">EC2 instance type (m5.large, ...); null when unknown.</param>
/// <param name="IsProtected">True when tagged runs-fleet:protected=true.</param>
/// <param name="Pool">Value of the runs-fleet:pool tag, if any.</param>
/// <param name="SpotRequestId">The spot instance request that launched it (spot instances only).</param>
/// <param name="IsManaged">True when tagged runs-fleet:managed=true.</param>
public sealed record FleetInstance(
    string InstanceId,
    string State,
    DateTimeOffset? LaunchTime,
    string? InstanceType,
    bool IsProtected,
    string? Pool,
    string? SpotRequestId = null,
    bool IsManaged = false)
{
    /// <summary>True when tagged created-by=runs-fleet-packer: a Packer AMI builder, never a runner.</summary>
    public bool IsPackerBuilder { get; init; }

    /// <summary>A runs-fleet:* tag key its launch wrote (runs-fleet:managed included, runs-fleet:protected not);
    /// null when it has none. Proof that runs-fleet launched it.</summary>
    public string? LaunchTag { get; init; }
}
