using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Preflight;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.Worker.Registration;

namespace RunsFleet.Tests.Activities.Preflight;

/// <summary>The doctor reads the same variables the worker binds and the bridge reads, with the same validation.</summary>
public class PreflightSettingsTests
{
    [Theory]
    [InlineData(typeof(JobsTableOptions), nameof(JobsTableOptions.TableName), "RUNS_FLEET_JOBS_TABLE")]
    [InlineData(typeof(JobsTableOptions), nameof(JobsTableOptions.InstanceIdIndex), JobsIndexRequirement.InstanceIdVariable)]
    [InlineData(typeof(JobsTableOptions), nameof(JobsTableOptions.CompletedAtIndex), JobsIndexRequirement.CompletedAtVariable)]
    [InlineData(typeof(JobsTableOptions), nameof(JobsTableOptions.ActiveJobsIndex), JobsIndexRequirement.ActiveJobsVariable)]
    [InlineData(typeof(PoolAuditOptions), nameof(PoolAuditOptions.PoolsTableName), "RUNS_FLEET_POOLS_TABLE")]
    [InlineData(typeof(JobArchiveOptions), nameof(JobArchiveOptions.ArchiveBucket), PreflightSettings.ArchiveBucketVariable)]
    [InlineData(typeof(PoolAuditOptions), nameof(PoolAuditOptions.ReportBucket), PreflightSettings.ReportBucketVariable)]
    public void Every_variable_the_preflight_reads_is_the_one_the_worker_binds_to_the_same_setting(Type options, string member, string variable)
    {
        var binding = Assert.Single(WorkerRegistration.OptionsBindings, b => b.OptionsType == options && b.MemberName == member);
        Assert.Equal(variable, binding.Variable);
        // The doctor reads the variable and nothing else but the bucket's earlier name: an alias added to the
        // worker must be read here too.
        Assert.All(binding.Aliases, a => Assert.Equal(PreflightSettings.EarlierArchiveBucketVariable, a.Name));
        Assert.Contains(variable, new[] { TableRequirement.Jobs.Variable, TableRequirement.Pools.Variable, PreflightSettings.ArchiveBucketVariable, PreflightSettings.ReportBucketVariable }
            .Concat(JobsIndexRequirement.All(new JobsTableOptions()).Select(r => r.Variable)));
    }

    [Fact]
    public void The_queue_variables_are_the_bridges()
    {
        Assert.Equal(BridgeOptions.TerminationQueueUrlVariable, PreflightSettings.TerminationQueueUrlVariable);
        Assert.Equal(BridgeOptions.HousekeepingQueueUrlVariable, PreflightSettings.HousekeepingQueueUrlVariable);
    }

    [Fact]
    public void Unset_variables_give_the_defaults_of_the_options_classes()
    {
        var settings = PreflightSettings.FromEnvironment(_ => null);

        Assert.Equal("runs-fleet-jobs", settings.Jobs.TableName);
        Assert.Equal(["instance-id-index", "status-created_at-index", "completed_at-index"], JobsIndexRequirement.All(settings.Jobs).Select(r => r.Name));
        Assert.Equal("runs-fleet-pools", settings.PoolsTable);
        Assert.Null(settings.ArchiveBucket);
        Assert.Null(settings.TerminationQueueUrl);
        Assert.Empty(settings.Problems);
    }

    [Fact]
    public void Invalid_values_are_problems_of_the_capabilities_that_read_them()
    {
        var environment = new Dictionary<string, string>
        {
            ["RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI"] = "bad name!",
            ["RUNS_FLEET_JOB_ARCHIVE_BUCKET"] = "Upper_Case",
            ["RUNS_FLEET_TERMINATION_QUEUE_URL"] = "runs-fleet-termination",
        };
        var settings = PreflightSettings.FromEnvironment(environment.GetValueOrDefault);

        Assert.Equal(
            [
                ("RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI", "must be a DynamoDB index name (3-255 of A-Z a-z 0-9 _ . -), got 'bad name!'"),
                ("RUNS_FLEET_JOB_ARCHIVE_BUCKET", "must be an S3 bucket name (3-63 of a-z 0-9 . -), got 'Upper_Case'"),
                ("RUNS_FLEET_TERMINATION_QUEUE_URL", "must be an http(s) queue URL, got 'runs-fleet-termination'"),
            ],
            settings.Problems);
        var jobs = new TableShape("runs-fleet-jobs", "ACTIVE", "job_id", "N", [], null);
        var reports = PreflightCheck.Evaluate(settings, new PreflightObservations(new TableProbe("runs-fleet-jobs", jobs, null), new TableProbe("p", null, "x"), [], []))
            .ToDictionary(r => r.Capability);
        Assert.Equal("RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI must be a DynamoDB index name (3-255 of A-Z a-z 0-9 _ . -), got 'bad name!'", reports[PreflightCapability.OrphanedJobSweep].Problem);
        Assert.Equal("set RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI to a valid value", reports[PreflightCapability.OrphanedJobSweep].Fix);
        Assert.StartsWith("RUNS_FLEET_JOB_ARCHIVE_BUCKET must be", reports[PreflightCapability.OldJobArchival].Problem, StringComparison.Ordinal);
        Assert.StartsWith("RUNS_FLEET_TERMINATION_QUEUE_URL must be", reports[PreflightCapability.SqsBridge].Problem, StringComparison.Ordinal);
        Assert.Equal(PreflightState.NotReady, reports[PreflightCapability.JobTermination].State); // its instance-id-index is missing from this bare table
        Assert.DoesNotContain("RUNS_FLEET", reports[PreflightCapability.JobTermination].Problem, StringComparison.Ordinal);
    }
}
