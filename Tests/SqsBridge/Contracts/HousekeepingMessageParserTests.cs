using RunsFleet.Contracts.Sweeps;
using RunsFleet.Contracts.Sweeps.JobArchive;
using RunsFleet.Contracts.Sweeps.OrphanedJobs;
using RunsFleet.Contracts.Sweeps.PoolAudit;
using RunsFleet.Contracts.Sweeps.StaleSsm;
using RunsFleet.Contracts.Sweeps.StrayInstances;
using RunsFleet.SqsBridge.Contracts;

namespace RunsFleet.Tests.SqsBridge.Contracts;

public sealed class HousekeepingMessageParserTests
{
    [Theory]
    [MemberData(nameof(SampleMessages.Housekeeping), MemberType = typeof(SampleMessages))]
    public void Every_sample_is_accepted(string sample)
    {
        var result = HousekeepingMessageParser.Parse(SampleMessages.Read("housekeeping", sample));

        Assert.True(result.IsAccepted, $"{sample}: {result.Reason}");
    }

    [Fact]
    public void Old_jobs_sample_sends_its_params_as_strings()
    {
        var trigger = HousekeepingMessageParser.Parse(SampleMessages.Read("housekeeping", "old-jobs-dry-run.json")).Value!;

        Assert.Equal(SweepKind.JobArchive, trigger.Kind);
        Assert.Equal(SweepWorkflowTypes.OldJobArchival, trigger.WorkflowType);
        Assert.Equal(new JobArchiveInput { DryRun = true, RetentionDays = 7 }, trigger.Input);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 2, 0, 0, TimeSpan.Zero), trigger.Timestamp);
    }

    [Fact]
    public void Empty_params_leave_every_setting_to_the_worker_and_run_for_real()
    {
        var trigger = HousekeepingMessageParser.Parse(SampleMessages.Read("housekeeping", "orphaned-instances.json")).Value!;

        Assert.Equal(SweepKind.StrayInstances, trigger.Kind);
        Assert.Equal(new StrayInstanceSweepInput { DryRun = false, MaxRuntimeMinutes = null, MaxTerminations = null }, trigger.Input);
    }

    public static TheoryData<string, object> Dispatch => new()
    {
        { """{"task_type":"orphaned_instances","params":{"dry_run":true,"max_runtime_minutes":240,"max_terminations":"20"}}""", new StrayInstanceSweepInput { DryRun = true, MaxRuntimeMinutes = 240, MaxTerminations = 20 } },
        { """{"task_type":"stale_ssm","params":{"grace_minutes":"15","dry_run":"false"}}""", new StaleSsmSweepInput { DryRun = false, GraceMinutes = 15 } },
        { """{"task_type":"old_jobs","params":{"retention_days":30}}""", new JobArchiveInput { RetentionDays = 30 } },
        { """{"task_type":"pool_audit","params":{"dry_run":"True"}}""", new PoolAuditInput { DryRun = true } },
        { """{"task_type":"pool_audit"}""", new PoolAuditInput() },
        { """{"task_type":"stale_ssm","params":null}""", new StaleSsmSweepInput() },
        { """{"task_type":"old_jobs","params":{"dry_run":null,"retention_days":null}}""", new JobArchiveInput() },
        { """{"task_type":"orphaned_jobs","params":{"dry_run":true,"max_runtime_minutes":"240","slack_minutes":20,"max_jobs":"50"}}""", new OrphanedJobSweepInput { DryRun = true, MaxRuntimeMinutes = 240, SlackMinutes = 20, MaxJobs = 50 } },
        { """{"task_type":"orphaned_jobs"}""", new OrphanedJobSweepInput() },
    };

    [Theory]
    [MemberData(nameof(Dispatch))]
    public void Each_task_type_gets_its_own_input_record(string body, object expected)
    {
        var result = HousekeepingMessageParser.Parse(body);

        Assert.True(result.IsAccepted, result.Reason);
        Assert.Equal(expected, result.Value!.Input);
    }

    public static TheoryData<string, SweepKind, object> RunsFleetTaskTypes => new()
    {
        { """{"task_type":"stale_secrets","params":{"dry_run":true,"grace_minutes":60}}""", SweepKind.StaleSsm, new StaleSsmSweepInput { DryRun = true, GraceMinutes = 60 } },
        { """{"task_type":"stale_secrets","timestamp":"2026-06-01T00:00:00Z"}""", SweepKind.StaleSsm, new StaleSsmSweepInput() },
        { """{"task_type":"orphaned_packer_instances","params":{"dry_run":true}}""", SweepKind.StrayInstances, new StrayInstanceSweepInput { DryRun = true } },
        { """{"task_type":"orphaned_instances"}""", SweepKind.StrayInstances, new StrayInstanceSweepInput() },
        { """{"task_type":"old_jobs"}""", SweepKind.JobArchive, new JobArchiveInput() },
        { """{"task_type":"orphaned_jobs"}""", SweepKind.OrphanedJobs, new OrphanedJobSweepInput() },
    };

    [Theory]
    [MemberData(nameof(RunsFleetTaskTypes))]
    public void Runs_fleet_s_task_types_start_the_sweep_that_does_their_work(string body, SweepKind kind, object expected)
    {
        var trigger = HousekeepingMessageParser.Parse(body).Value!;

        Assert.Equal((kind, expected), (trigger.Kind, trigger.Input));
        Assert.Equal(SweepNames.WorkflowId(kind), SweepStartsWorkflowId(trigger)); // joins a run of the same sweep
    }

    [Fact]
    public void A_runs_fleet_task_with_no_sweep_here_is_refused_saying_so()
    {
        var problem = Assert.Single(HousekeepingMessageParser.Parse("""{"task_type":"unconfirmed_runners"}""").Problems);

        Assert.Equal(RejectionCode.UnknownTaskType, problem.Code);
        Assert.StartsWith("task_type 'unconfirmed_runners' is unknown (a runs-fleet task with no sweep here: runs-fleet's own housekeeping keeps it)", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("stale_secrets, orphaned_packer_instances", problem.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grace_minutes", 10080, true)]   // the longest grace the worker can be configured with
    [InlineData("grace_minutes", 10081, false)]
    [InlineData("retention_days", 3650, true)]
    [InlineData("retention_days", 3651, false)]
    public void Static_bounds_are_the_settings_own_bounds(string param, int value, bool accepted)
    {
        var sweep = param == "grace_minutes" ? "stale_ssm" : "old_jobs";
        var body = "{\"task_type\":\"" + sweep + "\",\"params\":{\"" + param + "\":" + value + "}}";

        Assert.Equal(accepted, HousekeepingMessageParser.Parse(body).IsAccepted);
    }

    private static string SweepStartsWorkflowId(HousekeepingTrigger trigger) =>
        RunsFleet.SqsBridge.Starting.SweepStarts.For(trigger).WorkflowId;

    [Theory]
    [InlineData("max_runtime_minutes", 1)]
    [InlineData("max_runtime_minutes", 10080)]
    [InlineData("max_terminations", 1)]
    [InlineData("max_terminations", 1000)]
    public void Range_boundaries_are_accepted(string param, int value)
    {
        var body = "{\"task_type\":\"orphaned_instances\",\"params\":{\"" + param + "\":" + value + "}}";

        Assert.True(HousekeepingMessageParser.Parse(body).IsAccepted);
    }

    public static TheoryData<string, RejectionCode, string?> InvalidMessages => new()
    {
        { "{{", RejectionCode.NotJson, null },
        { "[]", RejectionCode.NotAnObject, null },
        { """{"timestamp":"2026-11-20T10:15:00Z"}""", RejectionCode.MissingField, "task_type" },
        { """{"task_type":"orphans"}""", RejectionCode.UnknownTaskType, "task_type" },
        { """{"task_type":"ORPHANED_INSTANCES"}""", RejectionCode.UnknownTaskType, "task_type" },
        { """{"task_type":3}""", RejectionCode.WrongType, "task_type" },
        { """{"task_type":"old_jobs","timestamp":"2026-11-20"}""", RejectionCode.InvalidTimestamp, "timestamp" },
        { """{"task_type":"old_jobs","params":"dry_run=true"}""", RejectionCode.WrongType, "params" },
        { """{"task_type":"old_jobs","params":{"dry_rnu":"true"}}""", RejectionCode.UnknownParam, "params.dry_rnu" },
        { """{"task_type":"pool_audit","params":{"retention_days":"7"}}""", RejectionCode.UnknownParam, "params.retention_days" },
        { """{"task_type":"orphaned_instances","params":{"grace_minutes":5}}""", RejectionCode.UnknownParam, "params.grace_minutes" },
        { """{"task_type":"old_jobs","params":{"dry_run":"yes"}}""", RejectionCode.WrongType, "params.dry_run" },
        { """{"task_type":"old_jobs","params":{"dry_run":1}}""", RejectionCode.WrongType, "params.dry_run" },
        { """{"task_type":"old_jobs","params":{"retention_days":"seven"}}""", RejectionCode.WrongType, "params.retention_days" },
        { """{"task_type":"old_jobs","params":{"retention_days":7.5}}""", RejectionCode.WrongType, "params.retention_days" },
        { """{"task_type":"old_jobs","params":{"retention_days":true}}""", RejectionCode.WrongType, "params.retention_days" },
        { """{"task_type":"old_jobs","params":{"retention_days":0}}""", RejectionCode.OutOfRange, "params.retention_days" },
        { """{"task_type":"old_jobs","params":{"retention_days":"-7"}}""", RejectionCode.OutOfRange, "params.retention_days" },
        { """{"task_type":"old_jobs","params":{"retention_days":3651}}""", RejectionCode.OutOfRange, "params.retention_days" },
        { """{"task_type":"orphaned_instances","params":{"max_terminations":1001}}""", RejectionCode.OutOfRange, "params.max_terminations" },
        { """{"task_type":"orphaned_instances","params":{"max_runtime_minutes":10081}}""", RejectionCode.OutOfRange, "params.max_runtime_minutes" },
        { """{"task_type":"stale_ssm","params":{"grace_minutes":"10081"}}""", RejectionCode.OutOfRange, "params.grace_minutes" },
        { """{"task_type":"stale_secrets","params":{"grace_minutes":0}}""", RejectionCode.OutOfRange, "params.grace_minutes" },
        { """{"task_type":"stale_ssm","params":{"grace_minutes":"99999999999999999999"}}""", RejectionCode.WrongType, "params.grace_minutes" },
        { """{"task_type":"orphaned_jobs","params":{"max_terminations":5}}""", RejectionCode.UnknownParam, "params.max_terminations" },
        { """{"task_type":"orphaned_jobs","params":{"dry_rnu":true}}""", RejectionCode.UnknownParam, "params.dry_rnu" },
        { """{"task_type":"orphaned_jobs","params":{"max_jobs":1001}}""", RejectionCode.OutOfRange, "params.max_jobs" },
        { """{"task_type":"orphaned_jobs","params":{"slack_minutes":0}}""", RejectionCode.OutOfRange, "params.slack_minutes" },
    };

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public void Each_invalid_kind_is_rejected_with_its_own_reason(string body, RejectionCode code, string? field)
    {
        var result = HousekeepingMessageParser.Parse(body);

        Assert.False(result.IsAccepted);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(code, problem.Code);
        Assert.Equal(field, problem.Field);
        if (field is not null)
        {
            Assert.Contains(field, problem.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_typo_in_dry_run_never_yields_a_real_run_even_next_to_valid_params()
    {
        var result = HousekeepingMessageParser.Parse("""{"task_type":"orphaned_instances","params":{"dry_rnu":true,"max_terminations":5}}""");

        Assert.Null(result.Value);
        Assert.Contains("dry_rnu", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_housekeeping_body_is_rejected()
    {
        var body = "{\"task_type\":\"pool_audit\",\"pad\":\"" + new string('x', 2000) + "\"}";

        Assert.Equal(RejectionCode.Oversized, HousekeepingMessageParser.Parse(body, 1024).Problems.Single().Code);
    }
}
