namespace RunsFleet.Infrastructure.Permissions;

/// <summary>The resources an IAM action of a runs-fleet service may be granted on.</summary>
public enum ResourceScope
{
    /// <summary>The termination FIFO queue.</summary>
    TerminationQueue,

    /// <summary>The housekeeping standard queue.</summary>
    HousekeepingQueue,

    /// <summary>The jobs table itself.</summary>
    JobsTable,

    /// <summary>The jobs table's two GSIs (completed_at-index, instance-id-index).</summary>
    JobsTableIndexes,

    /// <summary>The pools table.</summary>
    PoolsTable,

    /// <summary>SSM parameters under the runner parameter path (/runs-fleet/runners/*).</summary>
    RunnerParameters,

    /// <summary>Objects under the archive prefix of the archive bucket.</summary>
    ArchiveObjects,

    /// <summary>Objects under the pool report prefix of the archive bucket.</summary>
    ReportObjects,

    /// <summary>EC2 instances, only those tagged runs-fleet:managed=true (an IAM condition, not an ARN).</summary>
    ManagedInstances,

    /// <summary>
    /// EC2 instances launched with the runner instance profile (an ec2:InstanceProfile condition, not an ARN),
    /// tagged or not. Only in a stack given runsFleet:runnerInstanceProfileArn; otherwise its grants are left out.
    /// </summary>
    RunnerProfileInstances,

    /// <summary>
    /// runs-fleet's job queue (runsFleet:jobQueueUrl). Only in a stack given it; otherwise its grants are left out.
    /// </summary>
    JobQueue,

    /// <summary>EC2 instances tagged created-by=runs-fleet-packer (an IAM condition, not an ARN): runs-fleet's
    /// Packer AMI builders (packer/*.pkr.hcl run_tags), which OrphanSweep phase f terminates.</summary>
    PackerBuilderInstances,

    /// <summary>Resource "*": only for actions that support no resource-level permission at all
    /// (each grant says why). The action itself is still named exactly.</summary>
    Unscoped,
}
