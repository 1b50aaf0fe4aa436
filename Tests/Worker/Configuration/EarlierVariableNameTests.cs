using RunsFleet.Activities.Preflight;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Hosting;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Registration;

namespace RunsFleet.Tests.Worker.Configuration;

/// <summary>
/// The sweeps' variables before issue 14 (RUNS_FLEET_ORPHAN_*, RUNS_FLEET_ARCHIVE_*, RUNS_FLEET_ARCHIVAL_*,
/// RUNS_FLEET_JOB_RETENTION_DAYS, RUNS_FLEET_SCHEDULE_ORPHANS_* / _OLD_JOBS_*) still work in a deployed
/// environment: alone they set the setting; with the new name they must agree, as runs-fleet's names must.
/// </summary>
public sealed class EarlierVariableNameTests
{
    [Theory]
    [InlineData("RUNS_FLEET_ORPHAN_MAX_RUNTIME_MINUTES", "RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES")]
    [InlineData("RUNS_FLEET_ORPHAN_BUFFER_MINUTES", "RUNS_FLEET_STRAY_INSTANCES_BUFFER_MINUTES")]
    [InlineData("RUNS_FLEET_ORPHAN_MAX_TERMINATIONS", "RUNS_FLEET_STRAY_INSTANCES_MAX_TERMINATIONS")]
    [InlineData("RUNS_FLEET_ORPHAN_TERMINATE_BATCH_SIZE", "RUNS_FLEET_STRAY_INSTANCES_TERMINATE_BATCH_SIZE")]
    [InlineData("RUNS_FLEET_ORPHAN_PAGES_PER_RUN", "RUNS_FLEET_STRAY_INSTANCES_PAGES_PER_RUN")]
    [InlineData("RUNS_FLEET_ORPHAN_RUNNER_INSTANCE_PROFILE", "RUNS_FLEET_STRAY_INSTANCES_RUNNER_INSTANCE_PROFILE")]
    [InlineData("RUNS_FLEET_ORPHAN_PROFILE_ENABLED", "RUNS_FLEET_STRAY_INSTANCES_PROFILE_ENABLED")]
    [InlineData("RUNS_FLEET_ORPHAN_PROFILE_GRACE_MINUTES", "RUNS_FLEET_STRAY_INSTANCES_PROFILE_GRACE_MINUTES")]
    [InlineData("RUNS_FLEET_ORPHAN_UNCLAIMED_ENABLED", "RUNS_FLEET_STRAY_INSTANCES_UNCLAIMED_ENABLED")]
    [InlineData("RUNS_FLEET_ORPHAN_UNCLAIMED_GRACE_MINUTES", "RUNS_FLEET_STRAY_INSTANCES_UNCLAIMED_GRACE_MINUTES")]
    [InlineData("RUNS_FLEET_ORPHAN_COMPLETED_ENABLED", "RUNS_FLEET_STRAY_INSTANCES_COMPLETED_ENABLED")]
    [InlineData("RUNS_FLEET_ORPHAN_COMPLETED_GRACE_MINUTES", "RUNS_FLEET_STRAY_INSTANCES_COMPLETED_GRACE_MINUTES")]
    [InlineData("RUNS_FLEET_ORPHAN_STOPPED_ENABLED", "RUNS_FLEET_STRAY_INSTANCES_STOPPED_ENABLED")]
    [InlineData("RUNS_FLEET_ORPHAN_STOPPED_GRACE_HOURS", "RUNS_FLEET_STRAY_INSTANCES_STOPPED_GRACE_HOURS")]
    [InlineData("RUNS_FLEET_ORPHAN_PACKER_ENABLED", "RUNS_FLEET_STRAY_INSTANCES_PACKER_ENABLED")]
    [InlineData("RUNS_FLEET_ORPHAN_PACKER_GRACE_MINUTES", "RUNS_FLEET_STRAY_INSTANCES_PACKER_GRACE_MINUTES")]
    [InlineData("RUNS_FLEET_ARCHIVE_BUCKET", "RUNS_FLEET_JOB_ARCHIVE_BUCKET")]
    [InlineData("RUNS_FLEET_ARCHIVE_PREFIX", "RUNS_FLEET_JOB_ARCHIVE_PREFIX")]
    [InlineData("RUNS_FLEET_JOB_RETENTION_DAYS", "RUNS_FLEET_JOB_ARCHIVE_RETENTION_DAYS")]
    [InlineData("RUNS_FLEET_ARCHIVAL_PAGE_SIZE", "RUNS_FLEET_JOB_ARCHIVE_PAGE_SIZE")]
    [InlineData("RUNS_FLEET_ARCHIVAL_PAGES_PER_RUN", "RUNS_FLEET_JOB_ARCHIVE_PAGES_PER_RUN")]
    [InlineData("RUNS_FLEET_ARCHIVAL_DELETE_MAX_ATTEMPTS", "RUNS_FLEET_JOB_ARCHIVE_DELETE_MAX_ATTEMPTS")]
    public void Every_earlier_name_is_read_first_after_the_new_one_and_marked_ours(string earlier, string variable)
    {
        var binding = Assert.Single(WorkerRegistration.OptionsBindings, b => b.Variable == variable);

        var alias = binding.Aliases[0];
        Assert.Equal(earlier, alias.Name);
        Assert.True(alias.Earlier);
        Assert.All(binding.Aliases.Skip(1), a => Assert.False(a.Earlier));
        Assert.StartsWith(SweepDefinition.Of(variable.Contains("STRAY", StringComparison.Ordinal)
            ? SweepKind.StrayInstances : SweepKind.JobArchive).VariablePrefix, variable, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stray_instance_sweep_s_earlier_name_alone_sets_the_setting()
    {
        var (bound, problems) = Bind(("RUNS_FLEET_ORPHAN_MAX_TERMINATIONS", "7"));

        Assert.Empty(problems);
        Assert.Equal(7, ((StrayInstanceSweepOptions)bound[typeof(StrayInstanceSweepOptions)]).MaxTerminations);
    }

    [Fact]
    public void The_job_archive_s_earlier_names_alone_set_the_settings()
    {
        var (bound, problems) = Bind(("RUNS_FLEET_JOB_RETENTION_DAYS", "30"), ("RUNS_FLEET_ARCHIVE_BUCKET", "acme-archive"));

        Assert.Empty(problems);
        var options = (JobArchiveOptions)bound[typeof(JobArchiveOptions)];
        Assert.Equal(30, options.RetentionDays);
        Assert.Equal("acme-archive", options.ArchiveBucket);
    }

    [Fact]
    public void A_new_and_an_earlier_name_that_disagree_stop_the_worker_naming_both()
    {
        var (_, problems) = Bind(
            ("RUNS_FLEET_STRAY_INSTANCES_MAX_TERMINATIONS", "7"), ("RUNS_FLEET_ORPHAN_MAX_TERMINATIONS", "8"),
            ("RUNS_FLEET_JOB_ARCHIVE_PAGE_SIZE", "100"), ("RUNS_FLEET_ARCHIVAL_PAGE_SIZE", "0100"));

        var problem = Assert.Single(problems); // 100 and 0100 are the same number: agreement
        Assert.StartsWith("RUNS_FLEET_STRAY_INSTANCES_MAX_TERMINATIONS is '7' but RUNS_FLEET_ORPHAN_MAX_TERMINATIONS",
            problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_schedules_earlier_names_still_pause_and_time_them()
    {
        var settings = TestEnvironment.Load(
            ("RUNS_FLEET_SCHEDULE_ORPHANS_PAUSED", "true"), ("RUNS_FLEET_SCHEDULE_OLD_JOBS_SPEC", "2h"));

        Assert.True(settings.Schedules.For(SweepKind.StrayInstances).Paused);
        Assert.NotNull(settings.Schedules.For(SweepKind.JobArchive).Spec);
        Assert.Null(settings.Schedules.For(SweepKind.StaleSsm).Spec);
    }

    [Fact]
    public void A_schedule_variable_and_its_earlier_name_that_disagree_stop_the_worker()
    {
        var problem = Assert.Throws<SettingsException>(() => TestEnvironment.Load(
            ("RUNS_FLEET_SCHEDULE_JOB_ARCHIVE_PAUSED", "true"), ("RUNS_FLEET_SCHEDULE_OLD_JOBS_PAUSED", "false")));

        var line = Assert.Single(problem.Problems);
        Assert.StartsWith("RUNS_FLEET_SCHEDULE_JOB_ARCHIVE_PAUSED is 'true' but RUNS_FLEET_SCHEDULE_OLD_JOBS_PAUSED",
            line, StringComparison.Ordinal);
    }

    [Fact]
    public void The_env_table_says_whose_name_an_alias_is()
    {
        var table = WorkerVariables.MarkdownTable(WorkerRegistration.OptionsBindings);
        var rows = table.Split(Environment.NewLine);

        Assert.Contains(rows, r => r.StartsWith("| `RUNS_FLEET_ORPHAN_BUFFER_MINUTES` | (unset) | Earlier name of ours, read as "
            + "RUNS_FLEET_STRAY_INSTANCES_BUFFER_MINUTES", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("| `RUNS_FLEET_SCHEDULE_OLD_JOBS_SPEC` | (unset) | Earlier name of ours",
            StringComparison.Ordinal));
        Assert.Contains(rows, r => r.StartsWith("| `RUNS_FLEET_MAX_RUNTIME_MINUTES` | (unset) | runs-fleet's name",
            StringComparison.Ordinal));
        var maxRuntime = Assert.Single(rows, r => r.StartsWith("| `RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES` |",
            StringComparison.Ordinal));
        Assert.Contains("also read from RUNS_FLEET_ORPHAN_MAX_RUNTIME_MINUTES (our earlier name) and runs-fleet's "
            + "RUNS_FLEET_MAX_RUNTIME_MINUTES", maxRuntime, StringComparison.Ordinal);
    }

    [Fact]
    public void The_preflight_reads_the_archive_bucket_s_earlier_name_and_refuses_a_disagreement()
    {
        var alone = PreflightSettings.FromEnvironment(name => name == "RUNS_FLEET_ARCHIVE_BUCKET" ? "acme-archive" : null);
        var both = PreflightSettings.FromEnvironment(name => name switch
        {
            "RUNS_FLEET_ARCHIVE_BUCKET" => "acme-archive",
            "RUNS_FLEET_JOB_ARCHIVE_BUCKET" => "other-archive",
            _ => null,
        });

        Assert.Equal("acme-archive", alone.ArchiveBucket);
        Assert.Empty(alone.Problems);
        Assert.Equal("other-archive", both.ArchiveBucket);
        Assert.Equal("RUNS_FLEET_JOB_ARCHIVE_BUCKET", Assert.Single(both.Problems).Variable);
    }

    private static (IReadOnlyDictionary<Type, object> Bound, IReadOnlyList<string> Problems) Bind(
        params (string Name, string? Value)[] variables)
    {
        var reader = new EnvironmentSettingsReader(TestEnvironment.With(variables));
        var bound = OptionsBinder.Bind(reader, WorkerRegistration.OptionsBindings);
        return (bound, reader.Problems);
    }
}
