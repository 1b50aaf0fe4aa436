using System.Diagnostics;
using System.Text.RegularExpressions;
using RunsFleet.Contracts.Common;
using RunsFleet.Infrastructure.Messaging;
using RunsFleet.Workflows.Common;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// docker-compose.temporal.yml and its init scripts: valid for docker-compose (when installed), and consistent
/// with the code and the CDK stack (queue, table, index and search attribute names, the variables it sets).
/// </summary>
public partial class ComposeFileTests
{
    private const string ComposeFile = "docker-compose.temporal.yml";
    private const string InitScript = InitScriptRun.Script;
    private const string SearchAttributeScript = "deploy/temporal/register-search-attributes.sh";

    /// <summary>The env file that gives the bridge the termination queue URL of one kind (compose interpolates the kind).</summary>
    private static string EnvFile(string kind) => $"deploy/localstack/termination-{kind}.env";

    // docker-compose starts slowly (seconds): run `config` once for every test of the class.
    private static readonly Lazy<(int ExitCode, string Output, string Error)?> Config = new(() =>
        FindOnPath("docker-compose") is null ? null : DockerCompose(new Dictionary<string, string>(), "config"));

    [SkippableFact]
    public void Compose_file_is_valid_for_docker_compose()
    {
        // `config` validates exactly like `config -q` and also prints the resolved file the next test reads.
        var result = ResolvedConfig();

        Assert.True(result.ExitCode == 0, $"docker-compose -f {ComposeFile} config failed ({result.ExitCode}): {result.Error}");
        Assert.Contains("services:", result.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Worker_and_bridge_get_exactly_the_runs_fleet_and_temporal_variables_they_read()
    {
        var config = ResolvedConfig();
        Assert.True(config.ExitCode == 0, config.Error);
        var resolved = ResolvedEnvironments(config.Output);

        Assert.Equal(Expected(ReadBy.Worker), Relevant(resolved["worker"]));
        Assert.Equal(Expected(ReadBy.Bridge), Relevant(resolved["sqs-bridge"]));
        Assert.Equal(TaskQueues.Default, resolved["worker"]["RUNS_FLEET_TASK_QUEUE"]);
        Assert.Equal(new RunsFleet.Activities.Jobs.JobsTableOptions().TableName, resolved["worker"]["RUNS_FLEET_JOBS_TABLE"]);
        Assert.Equal("http://localstack:4566", resolved["worker"]["AWS_ENDPOINT_URL"]);

        static SortedSet<string> Expected(ReadBy process) =>
            KnownEnvironmentVariables.SetFor(process);
        static SortedSet<string> Relevant(Dictionary<string, string> env) =>
            new(env.Keys.Where(name => name.StartsWith("RUNS_FLEET_", StringComparison.Ordinal) || name.StartsWith("TEMPORAL_", StringComparison.Ordinal)), StringComparer.Ordinal);
    }

    [Fact]
    public void Every_runs_fleet_variable_the_compose_file_and_its_env_files_set_is_one_the_code_reads()
    {
        var files = new[] { ComposeFile }.Concat(TerminationQueueKinds.Values.Select(EnvFile));
        var names = files.SelectMany(file => RunsFleetName().Matches(RepositoryFiles.Read(file)).Select(m => m.Value)).ToHashSet();

        Assert.Contains("RUNS_FLEET_TERMINATION_QUEUE_URL", names);
        Assert.All(names, name => Assert.Contains(name, KnownEnvironmentVariables.Names));
    }

    [Fact]
    public void Compose_builds_the_worker_and_the_bridge_from_the_repository_dockerfiles()
    {
        var compose = RepositoryFiles.Read(ComposeFile);

        Assert.Contains("dockerfile: Worker/Dockerfile", compose, StringComparison.Ordinal);
        Assert.Contains("dockerfile: SqsBridge/Dockerfile", compose, StringComparison.Ordinal);
        Assert.True(File.Exists(RepositoryFiles.PathOf("Worker/Dockerfile")));
        Assert.True(File.Exists(RepositoryFiles.PathOf("SqsBridge/Dockerfile")));
        Assert.Contains("\"8080:8080\"", compose, StringComparison.Ordinal);
        Assert.Contains("condition: service_completed_successfully", compose, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", compose, StringComparison.Ordinal);
    }

    [Fact]
    public void Bridge_takes_its_termination_queue_url_from_the_env_file_of_the_kind_the_init_script_creates()
    {
        var compose = RepositoryFiles.Read(ComposeFile);

        // Both default to fifo, the CDK stack's default kind.
        Assert.Equal(TerminationQueueKind.Fifo, new RunsFleet.Infrastructure.RunsFleetSettings { TemporalAddress = "t:7233" }.TerminationQueueKind);
        Assert.Contains("env_file: " + EnvFile("${TERMINATION_QUEUE_KIND:-" + TerminationQueueKind.Fifo.ToValue() + "}"), compose, StringComparison.Ordinal);
        Assert.Contains("TERMINATION_QUEUE_KIND: ${TERMINATION_QUEUE_KIND:-" + TerminationQueueKind.Fifo.ToValue() + "}", compose, StringComparison.Ordinal);
        Assert.DoesNotContain("RUNS_FLEET_TERMINATION_QUEUE_URL:", compose, StringComparison.Ordinal);
        Assert.Contains("RUNS_FLEET_HOUSEKEEPING_QUEUE_URL: http://localstack:4566/000000000000/" + RunsFleetQueues.HousekeepingQueueName, compose, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TerminationQueueKind.Fifo)]
    [InlineData(TerminationQueueKind.Standard)]
    public void Each_kinds_env_file_names_the_termination_queue_of_that_kind(TerminationQueueKind kind)
    {
        var lines = RepositoryFiles.Read(EnvFile(kind.ToValue())).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .ToList();

        Assert.Equal(["RUNS_FLEET_TERMINATION_QUEUE_URL=http://localstack:4566/000000000000/" + RunsFleetQueues.TerminationQueueNameFor(kind)], lines);
    }

    [SkippableTheory]
    [InlineData(null, TerminationQueueKind.Fifo)]
    [InlineData("fifo", TerminationQueueKind.Fifo)]
    [InlineData("standard", TerminationQueueKind.Standard)]
    public void Init_script_creates_the_termination_queue_and_dlq_of_the_kind_and_the_housekeeping_queues_like_the_stack(string? variable, TerminationQueueKind kind)
    {
        Skip.If(InitScriptRun.Bash is null, "bash is not installed: the LocalStack init script cannot run here.");
        var run = InitScriptRun.Execute(variable);
        Assert.True(run.ExitCode == 0, run.Error);
        var queues = run.CreatedQueues();
        var fifo = kind == TerminationQueueKind.Fifo;
        var termination = queues[RunsFleetQueues.TerminationQueueNameFor(kind)];
        var housekeeping = queues[RunsFleetQueues.HousekeepingQueueName];

        Assert.Equal(
            new[] { RunsFleetQueues.TerminationQueueNameFor(kind), RunsFleetQueues.TerminationDlqNameFor(kind), RunsFleetQueues.HousekeepingQueueName, RunsFleetQueues.HousekeepingDlqName }.Order(StringComparer.Ordinal),
            queues.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(fifo ? "true" : null, termination.GetValueOrDefault("FifoQueue"));
        Assert.Equal(fifo ? "true" : null, termination.GetValueOrDefault("ContentBasedDeduplication"));
        Assert.Equal(fifo ? "true" : null, queues[RunsFleetQueues.TerminationDlqNameFor(kind)].GetValueOrDefault("FifoQueue"));
        Assert.Equal(Text(RunsFleetQueues.TerminationVisibilitySeconds), termination["VisibilityTimeout"]);
        Assert.Equal("300", housekeeping["VisibilityTimeout"]);
        foreach (var source in new[] { termination, housekeeping })
        {
            Assert.Equal(Text(RunsFleetQueues.MaxReceiveCount), source["RedrivePolicy.maxReceiveCount"]);
            Assert.Equal("stub-output", source["RedrivePolicy.deadLetterTargetArn"]);
        }

        Assert.All(queues.Values, attributes => Assert.Equal("1209600", attributes["MessageRetentionPeriod"]));
        Assert.Equal(["touch", "/tmp/runs-fleet-seeded"], run.Calls[^1]);

        static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [SkippableTheory]
    [InlineData("sqs")]
    [InlineData("Standard")]
    [InlineData("standard.fifo")]
    public void Init_script_refuses_an_unknown_kind_before_creating_anything(string variable)
    {
        Skip.If(InitScriptRun.Bash is null, "bash is not installed: the LocalStack init script cannot run here.");

        var run = InitScriptRun.Execute(variable);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"TERMINATION_QUEUE_KIND must be fifo or standard, got '{variable}'", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Calls);
    }

    [Fact]
    public void Attribute_reader_reads_the_json_and_the_shorthand_forms_of_create_queue()
    {
        var json = InitScriptRun.Attributes("""{ "VisibilityTimeout": "120", "RedrivePolicy": "{\"deadLetterTargetArn\":\"arn:x\",\"maxReceiveCount\":\"3\"}" }""");
        var shorthand = InitScriptRun.Attributes("FifoQueue=true,MessageRetentionPeriod=1209600");

        Assert.Equal("120", json["VisibilityTimeout"]);
        Assert.Equal("arn:x", json["RedrivePolicy.deadLetterTargetArn"]);
        Assert.Equal("3", json["RedrivePolicy.maxReceiveCount"]);
        Assert.Equal(new Dictionary<string, string> { ["FifoQueue"] = "true", ["MessageRetentionPeriod"] = "1209600" }, shorthand);
    }

    [SkippableTheory]
    [InlineData(null, TerminationQueueKind.Fifo)]
    [InlineData("standard", TerminationQueueKind.Standard)]
    public void Resolved_config_gives_the_bridge_and_localstack_the_same_kind(string? variable, TerminationQueueKind kind)
    {
        Skip.If(FindOnPath("docker-compose") is null, "docker-compose is not installed (apt-get install docker-compose); CI installs it.");
        var config = variable is null ? ResolvedConfig() : DockerCompose(new Dictionary<string, string> { ["TERMINATION_QUEUE_KIND"] = variable }, "config");
        Assert.True(config.ExitCode == 0, config.Error);
        var resolved = ResolvedEnvironments(config.Output);

        Assert.Equal(kind.ToValue(), resolved["localstack"]["TERMINATION_QUEUE_KIND"]);
        Assert.Equal(
            "http://localstack:4566/000000000000/" + RunsFleetQueues.TerminationQueueNameFor(kind),
            resolved["sqs-bridge"]["RUNS_FLEET_TERMINATION_QUEUE_URL"]);
    }

    [SkippableFact]
    public void Compose_refuses_an_unknown_kind_naming_the_missing_env_file()
    {
        Skip.If(FindOnPath("docker-compose") is null, "docker-compose is not installed (apt-get install docker-compose); CI installs it.");

        var config = DockerCompose(new Dictionary<string, string> { ["TERMINATION_QUEUE_KIND"] = "sqs" }, "config");

        Assert.NotEqual(0, config.ExitCode);
        Assert.Contains("termination-sqs.env", config.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_script_creates_the_tables_indexes_and_bucket_the_worker_is_configured_with()
    {
        var init = RepositoryFiles.Read(InitScript);
        var compose = RepositoryFiles.Read(ComposeFile);
        var options = new RunsFleet.Activities.Jobs.JobsTableOptions();

        Assert.Contains("--table-name " + options.TableName + " ", init, StringComparison.Ordinal);
        Assert.Contains("\"IndexName\": \"" + options.CompletedAtIndex + "\"", init, StringComparison.Ordinal);
        Assert.Contains("\"IndexName\": \"" + options.InstanceIdIndex + "\"", init, StringComparison.Ordinal);
        Assert.Contains("--table-name runs-fleet-pools ", init, StringComparison.Ordinal);
        var bucket = Regex.Match(compose, @"RUNS_FLEET_JOB_ARCHIVE_BUCKET: (\S+)").Groups[1].Value;
        Assert.Contains("--bucket " + bucket + " ", init, StringComparison.Ordinal);
        Assert.Contains("/tmp/runs-fleet-seeded", init, StringComparison.Ordinal);
        Assert.Contains("test -f /tmp/runs-fleet-seeded", compose, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_fleet_tags_instances_the_way_the_sweeps_select_them()
    {
        var init = RepositoryFiles.Read(InitScript);

        Assert.Contains("Key=runs-fleet:managed,Value=true", init, StringComparison.Ordinal);
        Assert.Contains("Key=runs-fleet:pool,Value=", init, StringComparison.Ordinal);
        Assert.Contains("Key=runs-fleet:protected,Value=true", init, StringComparison.Ordinal);
        Assert.Contains("PREFIX=\"/runs-fleet/runners\"", init, StringComparison.Ordinal);
    }

    [Fact]
    public void Search_attribute_script_registers_exactly_the_workflows_search_attributes_as_keywords()
    {
        var script = RepositoryFiles.Read(SearchAttributeScript);
        var registered = Regex.Match(script, @"for name in ([^;]+);").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(RunsFleetSearchAttributes.All.Select(k => k.Name).Order(), registered.Order());
        Assert.Contains("--type Keyword", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolved_config_parser_reads_each_services_environment_and_nothing_else()
    {
        const string config = """
            services:
              sqs-bridge:
                environment:
                  RUNS_FLEET_MAX_MESSAGE_BYTES: '65536'
                  TEMPORAL_ADDRESS: temporal:7233
                image: runs-fleet-sqs-bridge:local
              worker:
                depends_on:
                  localstack:
                    condition: service_healthy
                environment:
                  RUNS_FLEET_JOBS_TABLE: runs-fleet-jobs
            volumes:
              temporal-postgres: {}
            """;

        var resolved = ResolvedEnvironments(config.Replace("\r", string.Empty, StringComparison.Ordinal));

        Assert.Equal(["sqs-bridge", "worker"], resolved.Keys.Order());
        Assert.Equal("65536", resolved["sqs-bridge"]["RUNS_FLEET_MAX_MESSAGE_BYTES"]);
        Assert.Equal("temporal:7233", resolved["sqs-bridge"]["TEMPORAL_ADDRESS"]);
        Assert.Equal(["RUNS_FLEET_JOBS_TABLE"], resolved["worker"].Keys);
    }

    /// <summary>Per-service environment of <c>docker-compose config</c> output (normalized YAML: 2/4/6-space indents).</summary>
    internal static Dictionary<string, Dictionary<string, string>> ResolvedEnvironments(string config)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        string? service = null;
        var inServices = false;
        var inEnvironment = false;
        foreach (var line in config.Split('\n'))
        {
            if (!line.StartsWith(' '))
            {
                inServices = line.TrimEnd() == "services:";
                continue;
            }

            if (!inServices)
            {
                continue;
            }

            if (line.StartsWith("  ", StringComparison.Ordinal) && !line.StartsWith("   ", StringComparison.Ordinal))
            {
                service = line.Trim().TrimEnd(':');
                result[service] = new Dictionary<string, string>(StringComparer.Ordinal);
                inEnvironment = false;
            }
            else if (line.StartsWith("    ", StringComparison.Ordinal) && !line.StartsWith("     ", StringComparison.Ordinal))
            {
                inEnvironment = line.Trim() == "environment:";
            }
            else if (inEnvironment && service is not null && line.StartsWith("      ", StringComparison.Ordinal))
            {
                var separator = line.IndexOf(':', StringComparison.Ordinal);
                result[service][line[..separator].Trim()] = line[(separator + 1)..].Trim().Trim('\'', '"');
            }
        }

        return result;
    }

    private static (int ExitCode, string Output, string Error) ResolvedConfig()
    {
        var config = Config.Value;
        Skip.If(config is null, "docker-compose is not installed (apt-get install docker-compose); CI installs it.");
        return config!.Value;
    }

    private static (int ExitCode, string Output, string Error) DockerCompose(IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var start = new ProcessStartInfo(FindOnPath("docker-compose")!)
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The default run resolves the defaults, whatever the calling shell set.
        start.Environment.Remove("TERMINATION_QUEUE_KIND");
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in new[] { "-f", ComposeFile }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "docker-compose did not finish in 60 s");
        return (process.ExitCode, output.Result, error.Result);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    [GeneratedRegex("RUNS_FLEET_[A-Z0-9_]+")]
    private static partial Regex RunsFleetName();
}
