namespace RunsFleet.Infrastructure.Permissions;

/// <summary>THE reviewable list of what each runs-fleet service may do in AWS. The task roles are built
/// from these lists and nothing else, and a test (Tests/Infrastructure/Permissions/LeastPrivilegeTests) derives
/// the AWS operations the code calls from the compiled assemblies and fails when a list grants an
/// action the code never calls or lacks one it does. Change code and list together. An action appears
/// twice only on different scopes that carry IAM conditions (each its own statement).</summary>
internal static class ServicePermissions
{
    /// <summary>The Worker: JobTermination activities (jobs table, runner parameters, runs-fleet's job queue) and the
    /// housekeeping sweeps
    /// (EC2 orphans, stale SSM parameters, old job archival, pool audit, orphaned job records).</summary>
    public static IReadOnlyList<ActionGrant> Worker { get; } =
    [
        new("dynamodb:UpdateItem", ResourceScope.JobsTable,
            "JobTermination: conditional completion of the job record; recording started_at; OrphanedJobSweep: "
            + "marking a job orphaned on the status it read"),
        new("dynamodb:GetItem", ResourceScope.JobsTable,
            "JobTermination: reading the record after a failed condition (duplicate, other instance, missing)"),
        new("dynamodb:Query", [ResourceScope.JobsTable, ResourceScope.JobsTableIndexes],
            "JobTermination (job end without a job id)/OrphanSweep/PoolAudit: active jobs by status-created_at-index, "
            + "re-check by instance-id-index; OrphanedJobSweep: non-terminal jobs by status-created_at-index; "
            + "OldJobArchival: completed_at-index"),
        new("dynamodb:BatchWriteItem", ResourceScope.JobsTable,
            "OldJobArchival: deleting archived records in groups of 25"),
        new(
            "dynamodb:BatchGetItem",
            [ResourceScope.JobsTable, ResourceScope.PoolsTable],
            "OrphanedJobSweep: requeued_at of requeued jobs past the threshold (status-created_at-index does not "
                + "project it); OrphanSweep: runs-fleet's instance claims (__instance_claim:ID rows in the pools "
                + "table) "
                + "before terminating and as phase b's evidence; 100 per call"),
        new(
            "dynamodb:DescribeTable",
            [ResourceScope.JobsTable, ResourceScope.PoolsTable],
            "start-up preflight: the tables and their indexes (one call per table)"),
        new("dynamodb:Scan", ResourceScope.PoolsTable, "PoolAudit: reading every pool"),
        new("ssm:DeleteParameters", ResourceScope.RunnerParameters,
            "JobTermination, StaleSsmSweep and OrphanedJobSweep: removing runner config/credential parameters"),
        // DescribeParameters supports no resource-level permission (IAM requires "*"); the sweep filters by path
        // itself.
        new("ssm:DescribeParameters", ResourceScope.Unscoped,
            "StaleSsmSweep: listing parameters under the runner path"),
        // ec2:Describe* actions support no resource-level permission (IAM requires "*").
        new("ec2:DescribeInstances", ResourceScope.Unscoped,
            "OrphanSweep/StaleSsmSweep/PoolAudit: managed instances and their states; OrphanedJobSweep: states of the "
            + "instances of non-terminal jobs"),
        new("ec2:DescribeVolumes", ResourceScope.Unscoped,
            "PoolAudit: sizes of the stopped pool instances' EBS volumes (their idle cost)"),
        // Spot requests carry no tag runs-fleet sets, so they cannot be scoped like the instances.
        new("ec2:CancelSpotInstanceRequests", ResourceScope.Unscoped,
            "OrphanSweep: cancelling an orphan's spot request before terminating it, so it is not relaunched"),
        new("ec2:TerminateInstances", ResourceScope.ManagedInstances,
            "OrphanSweep phases a, c, d, e: terminating orphans, only instances tagged runs-fleet:managed=true"),
        // The same action on a second, conditioned scope (its own statement); only in a stack given
        // runsFleet:runnerInstanceProfileArn.
        new("ec2:TerminateInstances", ResourceScope.RunnerProfileInstances,
            "OrphanSweep phase b: terminating instances on the runner instance profile that lack the managed tag "
            + "(failed spot tag propagation)"),
        // A third conditioned scope: Packer builders carry neither the managed tag nor, necessarily, the configured
        // profile.
        new("ec2:TerminateInstances", ResourceScope.PackerBuilderInstances,
            "OrphanSweep phase f: terminating Packer AMI builders (created-by=runs-fleet-packer) left by killed "
            + "builds"),
        new("s3:PutObject", [ResourceScope.ArchiveObjects, ResourceScope.ReportObjects],
            "OldJobArchival: JSON Lines archive; PoolAudit: markdown report and its JSON rows"),
        // Only in a stack given runsFleet:jobQueueUrl (runs-fleet's own queue, not created here).
        new(
            "sqs:SendMessage",
            ResourceScope.JobQueue,
            "JobTermination: requeueing the job of a runner that failed to bootstrap to runs-fleet's job queue"),
    ];

    private static readonly ResourceScope[] BothQueues =
        [ResourceScope.TerminationQueue, ResourceScope.HousekeepingQueue];

    /// <summary>The SqsBridge: receives from both queues, starts workflows, deletes what was accepted.</summary>
    public static IReadOnlyList<ActionGrant> Bridge { get; } =
    [
        new("sqs:ReceiveMessage", BothQueues, "long-polling both queues"),
        new("sqs:DeleteMessage", BothQueues, "DeleteMessageBatch after the workflow start was accepted"),
        new("sqs:ChangeMessageVisibility", BothQueues, "releasing or extending messages whose start is pending"),
        new("sqs:GetQueueAttributes", BothQueues,
            "start-up check of the queues (redrive policy, visibility timeout)"),
    ];
}
