using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Hosting;
using RunsFleet.Worker;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Registration;

namespace RunsFleet.Tests.Worker.Configuration;

/// <summary>
/// runs-fleet's variables (pkg/config/config.go) read as aliases of ours: an alias alone sets the
/// setting, agreement is fine, disagreement stops the worker (exit 2) naming both.
/// </summary>
public sealed class RunsFleetVariableAliasTests
{
    [Fact]
    public void Runs_fleet_s_max_runtime_sets_both_sweeps()
    {
        var (bound, problems) = Bind(("RUNS_FLEET_MAX_RUNTIME_MINUTES", "480"));

        Assert.Empty(problems);
        Assert.Equal(480, Options<StrayInstanceSweepOptions>(bound).MaxRuntimeMinutes);
        Assert.Equal(480, Options<OrphanedJobSweepOptions>(bound).MaxRuntimeMinutes);
    }

    [Theory]
    [InlineData("RUNS_FLEET_SECRETS_PATH_PREFIX", "/acme/runners")]
    [InlineData("RUNS_FLEET_INSTANCE_PROFILE_ARN", "arn:aws:iam::123456789012:instance-profile/runners")]
    [InlineData("RUNS_FLEET_UNCLAIMED_INSTANCE_GRACE_MINUTES", "45")]
    [InlineData("RUNS_FLEET_COMPLETED_INSTANCE_GRACE_MINUTES", "20")]
    public void Each_runs_fleet_variable_sets_our_setting_when_ours_is_unset(string variable, string value)
    {
        var (bound, problems) = Bind((variable, value));

        Assert.Empty(problems);
        var orphans = Options<StrayInstanceSweepOptions>(bound);
        var actual = variable switch
        {
            "RUNS_FLEET_SECRETS_PATH_PREFIX" => Options<RunnerParameterOptions>(bound).Prefix,
            "RUNS_FLEET_INSTANCE_PROFILE_ARN" => orphans.RunnerInstanceProfile,
            "RUNS_FLEET_UNCLAIMED_INSTANCE_GRACE_MINUTES" => orphans.UnclaimedGraceMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => orphans.CompletedGraceMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Assert.Equal(value, actual);
        if (variable == "RUNS_FLEET_SECRETS_PATH_PREFIX")
        {
            Assert.Equal("/acme/runners/", Options<StaleSsmSweepOptions>(bound).ParameterPrefix); // the stale sweep lists under it too
        }
    }

    [Theory]
    [InlineData("RUNS_FLEET_MAX_RUNTIME_MINUTES", "360", "RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES", "360")]
    [InlineData("RUNS_FLEET_MAX_RUNTIME_MINUTES", "0360", "RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES", "360")] // same number
    [InlineData("RUNS_FLEET_SECRETS_PATH_PREFIX", "/runs-fleet/runners", "RUNS_FLEET_RUNNER_PARAMETER_PREFIX", "/runs-fleet/runners")]
    [InlineData("RUNS_FLEET_STOPPED_INSTANCE_GRACE_HOURS", "0", "RUNS_FLEET_STRAY_INSTANCES_STOPPED_ENABLED", "false")]
    [InlineData("RUNS_FLEET_STOPPED_INSTANCE_GRACE_HOURS", "0", "RUNS_FLEET_STRAY_INSTANCES_STOPPED_GRACE_HOURS", "12")] // 0 says nothing of the grace
    public void Both_names_set_to_the_same_value_are_fine(string theirs, string theirValue, string ours, string ourValue)
    {
        var (_, problems) = Bind((theirs, theirValue), (ours, ourValue));

        Assert.Empty(problems);
    }

    [Fact]
    public void Two_names_that_disagree_are_a_problem_naming_both_for_every_setting_they_feed()
    {
        var (_, problems) = Bind(
            ("RUNS_FLEET_MAX_RUNTIME_MINUTES", "300"),
            ("RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES", "360"),
            ("RUNS_FLEET_SECRETS_PATH_PREFIX", "/acme/runners"),
            ("RUNS_FLEET_RUNNER_PARAMETER_PREFIX", "/runs-fleet/runners"));

        Assert.Equal(
            [
                "RUNS_FLEET_RUNNER_PARAMETER_PREFIX is '/runs-fleet/runners' but RUNS_FLEET_SECRETS_PATH_PREFIX (read as the same setting) is '/acme/runners': set one of them, or both to the same value",
                "RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES is '360' but RUNS_FLEET_MAX_RUNTIME_MINUTES (read as the same setting) is '300': set one of them, or both to the same value",
            ],
            problems.Order(StringComparer.Ordinal)); // the prefix feeds two options classes: reported once
    }

    [Fact]
    public async Task A_disagreement_stops_the_worker_with_exit_code_8()
    {
        var error = new StringWriter();

        var exitCode = await WorkerApp.RunAsync(
            [], TestEnvironment.With(("RUNS_FLEET_MAX_RUNTIME_MINUTES", "300"), ("RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES", "360")), new StringWriter(), error, CancellationToken.None);

        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.Contains(
            "RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES is '360' but RUNS_FLEET_MAX_RUNTIME_MINUTES (read as the same setting) is '300'",
            error.ToString(),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0", false, 24)]  // runs-fleet's default: phase off, our grace stays
    [InlineData("36", true, 36)]  // on, with runs-fleet's grace
    public void Runs_fleet_s_stopped_grace_is_phase_e_s_switch_and_grace(string hours, bool enabled, int grace)
    {
        var (bound, problems) = Bind(("RUNS_FLEET_STOPPED_INSTANCE_GRACE_HOURS", hours));

        Assert.Empty(problems);
        Assert.Equal((enabled, grace), (Options<StrayInstanceSweepOptions>(bound).StoppedEnabled, Options<StrayInstanceSweepOptions>(bound).StoppedGraceHours));
    }

    [Fact]
    public void Runs_fleet_s_stopped_grace_disagreeing_with_our_switch_is_a_problem()
    {
        var (_, problems) = Bind(("RUNS_FLEET_STOPPED_INSTANCE_GRACE_HOURS", "24"), ("RUNS_FLEET_STRAY_INSTANCES_STOPPED_ENABLED", "false"));

        Assert.Equal(
            "RUNS_FLEET_STRAY_INSTANCES_STOPPED_ENABLED is 'false' but RUNS_FLEET_STOPPED_INSTANCE_GRACE_HOURS (read as the same setting) is '24' (meaning true): set one of them, or both to the same value",
            Assert.Single(problems));
    }

    [Fact]
    public void A_bad_value_read_through_an_alias_names_both()
    {
        var (_, problems) = Bind(("RUNS_FLEET_MAX_RUNTIME_MINUTES", "0"));

        Assert.Equal(
            [
                "RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES (read from RUNS_FLEET_MAX_RUNTIME_MINUTES) must be between 1 and 10080, got '0'",
                "RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES (read from RUNS_FLEET_MAX_RUNTIME_MINUTES) must be between 1 and 10080, got '0'",
            ],
            problems.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Registered_options_carry_a_value_read_through_an_alias()
    {
        var services = new ServiceCollection();
        var reader = new EnvironmentSettingsReader(TestEnvironment.With(("RUNS_FLEET_SECRETS_PATH_PREFIX", "/acme/runners")));

        OptionsBinder.Register(services, reader, WorkerRegistration.OptionsBindings);
        using var provider = services.BuildServiceProvider();

        Assert.Equal("/acme/runners", provider.GetRequiredService<IOptions<RunnerParameterOptions>>().Value.Prefix);
        Assert.Equal("/acme/runners/", provider.GetRequiredService<IOptions<StaleSsmSweepOptions>>().Value.ParameterPrefix);
    }

    [Fact]
    public void The_generated_configuration_table_shows_each_alias_both_ways()
    {
        var table = WorkerVariables.MarkdownTable(WorkerRegistration.OptionsBindings).Split(Environment.NewLine);

        Assert.Contains(table, l => l.StartsWith("| `RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES` | `360` |", StringComparison.Ordinal)
            && l.Contains("runs-fleet's RUNS_FLEET_MAX_RUNTIME_MINUTES (set both: they must agree)", StringComparison.Ordinal));
        Assert.Contains(table, l => l.StartsWith("| `RUNS_FLEET_MAX_RUNTIME_MINUTES` | (unset) |", StringComparison.Ordinal)
            && l.Contains("read as RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES and RUNS_FLEET_ORPHANED_JOBS_MAX_RUNTIME_MINUTES", StringComparison.Ordinal));
        foreach (var alias in new[]
        {
            "RUNS_FLEET_INSTANCE_PROFILE_ARN", "RUNS_FLEET_SECRETS_PATH_PREFIX", "RUNS_FLEET_UNCLAIMED_INSTANCE_GRACE_MINUTES",
            "RUNS_FLEET_COMPLETED_INSTANCE_GRACE_MINUTES", "RUNS_FLEET_STOPPED_INSTANCE_GRACE_HOURS",
        })
        {
            Assert.Single(table, l => l.StartsWith($"| `{alias}` |", StringComparison.Ordinal));
        }
    }

    private static (IReadOnlyDictionary<Type, object> Bound, IReadOnlyList<string> Problems) Bind(params (string Name, string? Value)[] variables)
    {
        var reader = new EnvironmentSettingsReader(TestEnvironment.With(variables));
        var bound = OptionsBinder.Bind(reader, WorkerRegistration.OptionsBindings);
        return (bound, reader.Problems);
    }

    private static T Options<T>(IReadOnlyDictionary<Type, object> bound) => (T)bound[typeof(T)];
}
