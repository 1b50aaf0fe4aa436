extern alias benchmarks;

using benchmarks::RunsFleet.Benchmarks.Sweeps;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Workflows.Sweeps.JobArchive;
using RunsFleet.Workflows.Sweeps.OrphanedJobs;
using RunsFleet.Workflows.Sweeps.StrayInstances;
using RunsFleet.Workflows.Sweeps.PoolAudit;
using RunsFleet.Workflows.Sweeps.StaleSsm;
using Temporalio.Testing;
using Temporalio.Workflows;

namespace RunsFleet.Tests.Contracts.Sweeps;

/// <summary>
/// The names each sweep is known by outside this code: running histories and schedules name
/// the workflow type, the housekeeping queue's senders the task_type, operators the ids. They
/// are pinned here so a rename of a class or folder cannot move them.
/// </summary>
public sealed class SweepNamesTests
{
    [Theory]
    [InlineData(SweepKind.StrayInstances, "OrphanSweep", "orphaned_instances", "sweep-orphans", "runs-fleet-orphans")]
    [InlineData(SweepKind.StaleSsm, "StaleSsmSweep", "stale_ssm", "sweep-stale-ssm", "runs-fleet-stale-ssm")]
    [InlineData(SweepKind.JobArchive, "OldJobArchival", "old_jobs", "sweep-old-jobs", "runs-fleet-old-jobs")]
    [InlineData(SweepKind.PoolAudit, "PoolAudit", "pool_audit", "sweep-pool-audit", "runs-fleet-pool-audit")]
    [InlineData(SweepKind.OrphanedJobs, "OrphanedJobSweep", "orphaned_jobs", "sweep-orphaned-jobs", "runs-fleet-orphaned-jobs")]
    public void Every_name_of_a_sweep_is_the_fixed_one(SweepKind kind, string workflowType, string taskType, string workflowId, string scheduleId)
    {
        Assert.Equal(workflowType, SweepNames.WorkflowType(kind));
        Assert.Equal(workflowType, Registered(kind));
        Assert.Equal(taskType, SweepNames.TaskType(kind));
        Assert.True(SweepNames.TryParseTaskType(taskType, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.Equal(workflowId, SweepNames.WorkflowId(kind));
        Assert.Equal(scheduleId, SweepNames.ScheduleId(kind));
    }

    [Theory]
    [InlineData("stale_secrets", SweepKind.StaleSsm)]
    [InlineData("orphaned_packer_instances", SweepKind.StrayInstances)]
    public void Runs_fleet_s_task_types_parse_to_our_sweep_and_never_become_its_name(string taskType, SweepKind kind)
    {
        // runs-fleet pkg/housekeeping/runner.go:19-55.
        Assert.True(SweepNames.TryParseTaskType(taskType, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.NotEqual(taskType, SweepNames.TaskType(kind)); // search attribute, progress view and ids keep ours
        Assert.False(SweepNames.TryParseTaskType("unconfirmed_runners", out _));
        Assert.False(SweepNames.TryParseTaskType(null, out _));
        Assert.Contains("unconfirmed_runners", SweepNames.RunsFleetOnlyTaskTypes);
    }

    [Theory]
    [InlineData(SweepKind.StrayInstances, "stray-instances", "OrphanedInstancesTerminated", "orphans")]
    [InlineData(SweepKind.StaleSsm, "stale-ssm", "SSMParametersDeleted", null)]
    [InlineData(SweepKind.JobArchive, "job-archive", "JobRecordsArchived", "old-jobs")]
    [InlineData(SweepKind.PoolAudit, "pool-audit", null, null)]
    [InlineData(SweepKind.OrphanedJobs, "orphaned-jobs", "OrphanedJobsMarked", null)]
    public void One_definition_per_sweep_names_its_cli_name_metric_and_old_names(
        SweepKind kind, string cliName, string? metric, string? legacyCliName)
    {
        var definition = SweepDefinition.Of(kind);

        Assert.Equal((kind, cliName, metric), (definition.Kind, definition.CliName, definition.Metric));
        Assert.Equal(cliName, kind.ToString().Aggregate(string.Empty, (name, c) =>
            name + (char.IsUpper(c) && name.Length > 0 ? "-" : string.Empty) + char.ToLowerInvariant(c)));
        if (legacyCliName is not null)
        {
            Assert.Contains(legacyCliName, definition.LegacyNames);
        }
    }

    [Theory]
    [InlineData(SweepKind.StrayInstances, "RUNS_FLEET_STRAY_INSTANCES_")]
    [InlineData(SweepKind.StaleSsm, "RUNS_FLEET_STALE_SSM_")]
    [InlineData(SweepKind.JobArchive, "RUNS_FLEET_JOB_ARCHIVE_")]
    [InlineData(SweepKind.PoolAudit, "RUNS_FLEET_POOL_AUDIT_")]
    [InlineData(SweepKind.OrphanedJobs, "RUNS_FLEET_ORPHANED_JOBS_")]
    public void Each_sweep_s_variables_take_their_prefix_from_its_definition(SweepKind kind, string prefix) =>
        Assert.Equal(prefix, SweepDefinition.Of(kind).VariablePrefix);

    [Fact]
    public void The_catalog_lists_every_sweep_once_in_kind_order() =>
        Assert.Equal(Enum.GetValues<SweepKind>(), SweepDefinition.All.Select(d => d.Kind));

    [Theory]
    [InlineData(SweepKind.StrayInstances, "stray-instances", "orphans")]
    [InlineData(SweepKind.StaleSsm, "stale-ssm", "stale_ssm")]
    [InlineData(SweepKind.JobArchive, "job-archive", "old_jobs")]
    [InlineData(SweepKind.PoolAudit, "pool-audit", "pool_audit")]
    [InlineData(SweepKind.OrphanedJobs, "orphaned-jobs", "orphaned_jobs")]
    public void The_benchmark_names_its_scenario_by_the_cli_name_and_still_answers_to_the_old_one(
        SweepKind kind, string cliName, string oldScenarioName)
    {
        var entry = Assert.Single(SweepCatalog.All, e => e.Kind == kind);

        Assert.Equal(cliName, entry.Name);
        Assert.Same(entry, SweepCatalog.Named(cliName));
        Assert.Same(entry, SweepCatalog.Named(oldScenarioName));
        Assert.Throws<ArgumentException>(() => SweepCatalog.Named("orphan"));
    }

    [Theory]
    [InlineData(SweepKind.StrayInstances, "stray-instances")]
    [InlineData(SweepKind.PoolAudit, "pool-audit")]
    public async Task The_fleet_cache_keys_a_sweep_by_its_cli_name_and_run(SweepKind kind, string cliName)
    {
        var instant = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var environment = new ActivityEnvironment { Info = ActivityEnvironment.DefaultInfo with { WorkflowId = "wf-1" } };

        var key = await environment.RunAsync(() => ActiveJobSetCache.KeyFor(kind, instant));

        Assert.Equal($"{cliName}|wf-1|{instant.UtcTicks}", key);
        Assert.Null(ActiveJobSetCache.KeyFor(kind, instant)); // outside an activity nothing is cached
    }

    // The name the worker registers comes from the [Workflow] attribute of the class.
    private static string? Registered(SweepKind kind) => kind switch
    {
        SweepKind.StrayInstances => WorkflowDefinition.Create<StrayInstanceSweepWorkflow>().Name,
        SweepKind.StaleSsm => WorkflowDefinition.Create<StaleSsmSweepWorkflow>().Name,
        SweepKind.JobArchive => WorkflowDefinition.Create<JobArchiveWorkflow>().Name,
        SweepKind.PoolAudit => WorkflowDefinition.Create<PoolAuditWorkflow>().Name,
        SweepKind.OrphanedJobs => WorkflowDefinition.Create<OrphanedJobSweepWorkflow>().Name,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
