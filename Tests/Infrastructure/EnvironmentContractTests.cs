using System.Text;
using System.Text.RegularExpressions;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>The configuration variables: the code, the deployment files and the operator guide agree on their names.</summary>
public partial class EnvironmentContractTests
{
    private static readonly string[] CodeAssemblies = ["RunsFleet.Activities", "RunsFleet.Workflows", "RunsFleet.Worker", "RunsFleet.SqsBridge", "RunsFleet.Hosting"];

    [Fact]
    public void Every_runs_fleet_name_in_the_compiled_code_is_a_known_variable()
    {
        // String literals are UTF-16 in the #US heap and constants; attribute arguments are UTF-8 blobs: search both.
        var unknown = CodeAssemblies
            .SelectMany(name => NamesIn(File.ReadAllBytes(RepositoryFiles.Assembly(name))).Select(variable => (name, variable)))
            .Where(found => !KnownEnvironmentVariables.Names.Contains(found.variable))
            .Select(found => $"{found.variable} (in {found.name})")
            .Distinct()
            .ToList();

        Assert.True(unknown.Count == 0,
            "The code reads variables the deployment does not know; add each to KnownEnvironmentVariables, Infrastructure/Services/ContainerEnvironment.cs, docker-compose.temporal.yml and docs/operator-guide.md: "
            + string.Join(", ", unknown));
    }

    [Fact]
    public void Name_search_finds_names_in_both_encodings_and_ignores_the_bare_prefix()
    {
        // "RUNS_FLEET_SCHEDULE_" is the literal part of an interpolated name: not a variable by itself.
        var bytes = Encoding.UTF8.GetBytes("xx RUNS_FLEET_JOBS_TABLE yy RUNS_FLEET_ zz RUNS_FLEET_SCHEDULE_")
            .Append((byte)0) // metadata strings are length-prefixed blobs, never directly adjacent
            .Concat(Encoding.Unicode.GetBytes("RUNS_FLEET_TASK_QUEUE"))
            .ToArray();

        Assert.Equal(["RUNS_FLEET_JOBS_TABLE", "RUNS_FLEET_TASK_QUEUE"], NamesIn(bytes).Order());
    }

    [Fact]
    public void Operator_guide_configuration_table_lists_every_known_variable_with_its_default()
    {
        var guide = RepositoryFiles.Read("docs/operator-guide.md");

        foreach (var variable in KnownEnvironmentVariables.All)
        {
            var row = guide.Split('\n').FirstOrDefault(line => line.StartsWith($"| `{variable.Name}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/operator-guide.md has no configuration row for {variable.Name}");
            if (variable.Default.Length > 0)
            {
                Assert.Contains(variable.Default, row, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Cdk_worker_and_bridge_environments_name_only_known_variables_for_the_right_process()
    {
        var settings = new RunsFleet.Infrastructure.RunsFleetSettings { TemporalAddress = "t:7233", TemporalTls = false };
        var worker = RunsFleet.Infrastructure.Services.ContainerEnvironment.Worker(settings, "bucket");
        var bridge = RunsFleet.Infrastructure.Services.ContainerEnvironment.Bridge(settings, "q1", "q2");

        Assert.Equal(KnownEnvironmentVariables.SetByCdkFor(ReadBy.Worker), new SortedSet<string>(worker.Keys, StringComparer.Ordinal));
        Assert.Equal(KnownEnvironmentVariables.SetByCdkFor(ReadBy.Bridge), new SortedSet<string>(bridge.Keys, StringComparer.Ordinal));
    }

    [Fact]
    public void Cdk_worker_environment_adds_the_setting_only_variables_when_their_settings_are_given()
    {
        var settings = new RunsFleet.Infrastructure.RunsFleetSettings
        {
            TemporalAddress = "t:7233",
            TemporalTls = false,
            RunnerInstanceProfileArn = "arn:aws:iam::123456789012:instance-profile/runners",
            JobQueue = RunsFleet.Infrastructure.Messaging.QueueReference.TryParse(
                "https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-main.fifo", out _),
        };
        var worker = RunsFleet.Infrastructure.Services.ContainerEnvironment.Worker(settings, "bucket");
        var bridge = RunsFleet.Infrastructure.Services.ContainerEnvironment.Bridge(settings, "q1", "q2");

        Assert.Equal(
            ["RUNS_FLEET_QUEUE_URL", "RUNS_FLEET_STRAY_INSTANCES_RUNNER_INSTANCE_PROFILE"],
            KnownEnvironmentVariables.SetByCdkSettingFor(ReadBy.Worker).Order(StringComparer.Ordinal));
        Assert.Equal(
            KnownEnvironmentVariables.SetByCdkFor(ReadBy.Worker).Concat(KnownEnvironmentVariables.SetByCdkSettingFor(ReadBy.Worker)).Order(StringComparer.Ordinal),
            worker.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(settings.RunnerInstanceProfileArn, worker["RUNS_FLEET_STRAY_INSTANCES_RUNNER_INSTANCE_PROFILE"]);
        Assert.Equal(settings.JobQueue!.Url, worker["RUNS_FLEET_QUEUE_URL"]);
        Assert.Equal(KnownEnvironmentVariables.SetByCdkFor(ReadBy.Bridge), new SortedSet<string>(bridge.Keys, StringComparer.Ordinal));
    }

    private static HashSet<string> NamesIn(byte[] bytes) =>
        VariableName().Matches(Encoding.UTF8.GetString(bytes))
            .Concat(VariableName().Matches(Encoding.Unicode.GetString(bytes)))
            .Concat(VariableName().Matches(Encoding.Unicode.GetString(bytes.AsSpan(1))))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex("RUNS_FLEET_[A-Z0-9_]*[A-Z0-9](?![A-Z0-9_])")]
    private static partial Regex VariableName();
}
