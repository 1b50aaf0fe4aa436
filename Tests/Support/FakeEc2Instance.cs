namespace RunsFleet.Tests.Support;

/// <summary>
/// An instance held by <see cref="FakeEc2Server"/>. Tests may change <see cref="State"/>,
/// <see cref="LaunchTime"/> or <see cref="Tags"/> between calls (under no particular lock; do it
/// while no SDK call is running).
/// </summary>
public sealed class FakeEc2Instance
{
    /// <summary>Creates an instance record; use <see cref="FakeEc2Server.AddInstance"/> to seed one.</summary>
    public FakeEc2Instance(string instanceId, string reservationId)
    {
        InstanceId = instanceId;
        ReservationId = reservationId;

        // Every instance runs-fleet launches has an EBS root volume (gp3, 30 GiB by its Packer
        // templates, packer/runs-fleet-runner-arm64.pkr.hcl:79); tests resize or add volumes.
        var suffix = instanceId.StartsWith("i-", StringComparison.Ordinal) ? instanceId[2..] : instanceId;
        Volumes.Add(new FakeEc2Volume("vol-" + suffix, 30));
    }

    /// <summary>e.g. "i-0123456789abcdef0".</summary>
    public string InstanceId { get; }

    /// <summary>Reservation the instance was launched in; DescribeInstances groups by it.</summary>
    public string ReservationId { get; }

    /// <summary>pending | running | stopping | stopped | shutting-down | terminated.</summary>
    public string State { get; set; } = Ec2States.Running;

    /// <summary>Launch time; null leaves launchTime out of the XML (the SDK then reports null).</summary>
    public DateTimeOffset? LaunchTime { get; set; }

    /// <summary>e.g. "t3.micro".</summary>
    public string InstanceType { get; set; } = "t3.micro";

    /// <summary>sir-... of the spot request that launched it; null for on-demand instances.</summary>
    public string? SpotRequestId { get; set; }

    /// <summary>ARN of the instance profile it was launched with; null when it has none.</summary>
    public string? IamInstanceProfileArn { get; set; }

    /// <summary>Tags by key.</summary>
    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The EBS volumes attached to it (a 30 GiB gp3 root volume unless a test changes them); DescribeVolumes
    /// lists them while the instance is not terminated (they are deleted on termination).
    /// </summary>
    public List<FakeEc2Volume> Volumes { get; } = [];

    /// <summary>
    /// EC2 termination protection (the disableApiTermination attribute): TerminateInstances naming this
    /// instance fails as a whole with OperationNotPermitted, as AWS answers.
    /// </summary>
    public bool DisableApiTermination { get; set; }
}

/// <summary>An EBS volume attached to a <see cref="FakeEc2Instance"/>.</summary>
/// <param name="VolumeId">e.g. "vol-0123456789abcdef0".</param>
/// <param name="SizeGiB">Size in GiB, as DescribeVolumes reports it.</param>
/// <param name="VolumeType">gp3, gp2, io2, ...</param>
/// <param name="Device">Device name of the attachment.</param>
public sealed record FakeEc2Volume(string VolumeId, int SizeGiB, string VolumeType = "gp3", string Device = "/dev/xvda");

/// <summary>EC2 instance state names and their numeric codes as AWS reports them.</summary>
public static class Ec2States
{
    /// <summary>pending (code 0).</summary>
    public const string Pending = "pending";

    /// <summary>running (code 16).</summary>
    public const string Running = "running";

    /// <summary>shutting-down (code 32).</summary>
    public const string ShuttingDown = "shutting-down";

    /// <summary>terminated (code 48).</summary>
    public const string Terminated = "terminated";

    /// <summary>stopping (code 64).</summary>
    public const string Stopping = "stopping";

    /// <summary>stopped (code 80).</summary>
    public const string Stopped = "stopped";

    /// <summary>The numeric code AWS sends with a state name.</summary>
    public static int Code(string state) => state switch
    {
        Pending => 0,
        Running => 16,
        ShuttingDown => 32,
        Terminated => 48,
        Stopping => 64,
        Stopped => 80,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not an EC2 instance state"),
    };
}
