using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Preflight;

namespace RunsFleet.Tests.Activities.Preflight;

/// <summary>The preflight's decisions on hand-made DescribeTable / HeadBucket / GetQueueAttributes answers.</summary>
public class PreflightRulesTests
{
    private static readonly PreflightSettings Settings = new() { Jobs = new JobsTableOptions(), PoolsTable = "runs-fleet-pools" };

    private static readonly TableProbe Pools = new("runs-fleet-pools", new TableShape("runs-fleet-pools", "ACTIVE", "pool_name", "S", [], null), null);

    private static IndexShape Index(string name, string hash, string? range, string projection = "ALL", string status = "ACTIVE", params string[] nonKey) =>
        new(name, status, hash, range, projection, nonKey, false);

    // runs-fleet's jobs table (deploy/terraform/dynamodb.tf:31-84), plus the given indexes.
    private static TableProbe Jobs(params IndexShape[] extra) => new("runs-fleet-jobs", new TableShape(
        "runs-fleet-jobs",
        "ACTIVE",
        "job_id",
        "N",
        [Index("pool-created-at-index", "pool", "created_at"), Index("instance-id-index", "instance_id", null), Index("pool-status-index", "pool", "status"), .. extra],
        null), null);

    private static readonly IndexShape[] Added =
    [
        Index("completed_at-index", "status", "completed_at"),
        Index("status-created_at-index", "status", "created_at", "INCLUDE", "ACTIVE", "instance_id"),
    ];

    private static Dictionary<PreflightCapability, CapabilityReport> Evaluate(TableProbe jobs, PreflightSettings? settings = null) =>
        PreflightCheck.Evaluate(settings ?? Settings, new PreflightObservations(jobs, Pools)).ToDictionary(r => r.Capability);

    [Fact]
    public void On_runs_fleets_table_alone_only_the_capabilities_that_read_our_two_indexes_are_not_ready()
    {
        var reports = Evaluate(Jobs());

        Assert.Equal(
            [PreflightCapability.JobTermination, PreflightCapability.OrphanSweep, PreflightCapability.OrphanedJobSweep,
             PreflightCapability.StaleSsmSweep, PreflightCapability.OldJobArchival, PreflightCapability.PoolAudit],
            reports.Keys);
        Assert.True(reports[PreflightCapability.JobTermination].IsReady);
        Assert.True(reports[PreflightCapability.StaleSsmSweep].IsReady);
        foreach (var capability in new[] { PreflightCapability.OrphanSweep, PreflightCapability.OrphanedJobSweep, PreflightCapability.PoolAudit })
        {
            var report = reports[capability];
            Assert.Equal(PreflightState.NotReady, report.State);
            Assert.Equal("the jobs table runs-fleet-jobs has no index status-created_at-index (HASH status, RANGE created_at; projection INCLUDE instance_id (or ALL))", report.Problem);
            Assert.Equal(IndexFix.CreateCommand("runs-fleet-jobs", JobsIndexRequirement.ActiveJobs(Settings.Jobs)), report.Fix);
            Assert.StartsWith("add global_secondary_index \"status-created_at-index\" to resource \"aws_dynamodb_table\" \"jobs\"", report.Terraform, StringComparison.Ordinal);
            Assert.EndsWith(IndexFix.TerraformBlock(JobsIndexRequirement.ActiveJobs(Settings.Jobs)), report.Terraform, StringComparison.Ordinal);
            Assert.Equal(0, report.MoreProblems);
        }

        var archival = reports[PreflightCapability.OldJobArchival];
        Assert.Equal(IndexFix.CreateCommand("runs-fleet-jobs", JobsIndexRequirement.CompletedAt(Settings.Jobs)), archival.Fix);
        Assert.Equal("RUNS_FLEET_JOB_ARCHIVE_BUCKET is unset: old records are then deleted without an archive copy", archival.Note);
    }

    [Fact]
    public void With_both_added_indexes_every_capability_is_ready()
    {
        Assert.All(Evaluate(Jobs(Added)).Values, r => Assert.True(r.IsReady, $"{r.Capability}: {r.Problem}"));
    }

    [Fact]
    public void A_missing_jobs_table_is_the_one_problem_of_every_capability_that_reads_it_and_is_fatal()
    {
        var missing = new TableProbe("runs-fleet-jobz", null, "ResourceNotFoundException: Requested resource not found");
        var reports = Evaluate(missing);

        Assert.True(reports[PreflightCapability.StaleSsmSweep].IsReady);
        var report = reports[PreflightCapability.OrphanSweep];
        Assert.Equal("the jobs table runs-fleet-jobz does not exist in this account and region (DescribeTable: ResourceNotFoundException: Requested resource not found)", report.Problem);
        Assert.Equal("set RUNS_FLEET_JOBS_TABLE to the name of runs-fleet's jobs table (its deploy/terraform/dynamodb.tf creates runs-fleet-jobs), and check AWS_REGION", report.Fix);
        Assert.Equal(0, report.MoreProblems); // its indexes are not judged on a table that is not there
        Assert.True(PreflightCheck.IsFatal(new PreflightObservations(missing, Pools)));
        Assert.False(PreflightCheck.IsFatal(new PreflightObservations(Jobs(), Pools)));
        Assert.False(PreflightCheck.IsFatal(new PreflightObservations(new TableProbe("t", null, "AccessDeniedException: no"), Pools)));
    }

    [Fact]
    public void A_table_that_could_not_be_described_is_not_checked_rather_than_not_ready()
    {
        var report = Evaluate(new TableProbe("runs-fleet-jobs", null, "AccessDeniedException: not authorized to perform: dynamodb:DescribeTable"))[PreflightCapability.JobTermination];

        Assert.Equal(PreflightState.Unchecked, report.State);
        Assert.Equal("could not read the jobs table runs-fleet-jobs: AccessDeniedException: not authorized to perform: dynamodb:DescribeTable", report.Problem);
        Assert.Contains("allow dynamodb:DescribeTable on runs-fleet-jobs", report.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_table_than_runs_fleets_is_named_by_its_key()
    {
        var other = new TableProbe("runs-fleet-jobs", new TableShape("runs-fleet-jobs", "ACTIVE", "id", "S", [], null), null);

        var report = Evaluate(other)[PreflightCapability.JobTermination];

        Assert.Equal("the jobs table runs-fleet-jobs is keyed HASH id (S), not as runs-fleet's: HASH job_id (N)", report.Problem);
    }

    [Fact]
    public void An_index_with_the_wrong_keys_or_projection_is_replaced_under_another_name()
    {
        var keysOnly = Index("status-created_at-index", "status", "created_at", "KEYS_ONLY");
        var report = Evaluate(Jobs(Added[0], keysOnly))[PreflightCapability.OrphanedJobSweep];

        Assert.Equal(
            "the index status-created_at-index of runs-fleet-jobs has HASH status, RANGE created_at, projection KEYS_ONLY; needed: "
            + "HASH status, RANGE created_at, projection INCLUDE instance_id (or ALL) (an index's keys and projection cannot change)",
            report.Problem);
        Assert.StartsWith("create the right one under another name, then set RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI=status-created_at-index-v2: aws dynamodb update-table", report.Fix, StringComparison.Ordinal);
        Assert.Contains("\"IndexName\":\"status-created_at-index-v2\"", report.Fix, StringComparison.Ordinal);

        var wrongKeys = Index("completed_at-index", "status", "created_at");
        Assert.Contains("has HASH status, RANGE created_at", Evaluate(Jobs(wrongKeys, Added[1]))[PreflightCapability.OldJobArchival].Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CREATING", "is being created (backfilling)", "wait until it is ACTIVE: aws dynamodb describe-table --table-name runs-fleet-jobs --query 'Table.GlobalSecondaryIndexes[?IndexName==`completed_at-index`].IndexStatus'")]
    [InlineData("DELETING", "is being deleted", "wait until it is gone")]
    public void An_index_on_its_way_in_or_out_says_to_wait(string status, string problem, string fix)
    {
        var report = Evaluate(Jobs(Index("completed_at-index", "status", "completed_at", "ALL", status), Added[1]))[PreflightCapability.OldJobArchival];

        Assert.Contains(problem, report.Problem, StringComparison.Ordinal);
        Assert.StartsWith(fix, report.Fix, StringComparison.Ordinal);
        Assert.True(Evaluate(Jobs(Index("completed_at-index", "status", "completed_at", "ALL", "UPDATING"), Added[1]))[PreflightCapability.OldJobArchival].IsReady);
    }

    [Fact]
    public void While_one_index_is_being_built_the_next_one_waits_for_it()
    {
        var report = Evaluate(Jobs(Index("status-created_at-index", "status", "created_at", "INCLUDE", "CREATING", "instance_id")))[PreflightCapability.OldJobArchival];

        Assert.StartsWith(
            "once status-created_at-index is ACTIVE (DynamoDB creates one index at a time; aws dynamodb describe-table --table-name runs-fleet-jobs "
            + "--query 'Table.GlobalSecondaryIndexes[?IndexName==`status-created_at-index`].IndexStatus'): aws dynamodb update-table",
            report.Fix,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_are_reported_one_at_a_time_with_the_count_behind_the_first()
    {
        var settings = Settings with { Jobs = new JobsTableOptions { InstanceIdIndex = "by-instance" } };

        var report = Evaluate(Jobs(Added[0]), settings)[PreflightCapability.OrphanSweep];

        Assert.Contains("has no index status-created_at-index", report.Problem, StringComparison.Ordinal);
        Assert.Equal(1, report.MoreProblems); // by-instance is missing too
    }

    [Fact]
    public void A_provisioned_table_gets_its_capacity_in_the_create_command()
    {
        var provisioned = Jobs() with { Shape = Jobs().Shape! with { Capacity = (10, 4) } };

        Assert.Contains("\"ProvisionedThroughput\":{\"ReadCapacityUnits\":10,\"WriteCapacityUnits\":4}", Evaluate(provisioned)[PreflightCapability.OldJobArchival].Fix, StringComparison.Ordinal);
    }
}
