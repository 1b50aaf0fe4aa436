using RunsFleet.Hosting;
using System.Diagnostics;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.SQS;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Preflight;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Tests.Support;
using Xunit.Abstractions;

namespace RunsFleet.Tests.Cli.Doctor;

/// <summary>
/// <c>runs-fleet doctor</c> against dynalite (runs-fleet's jobs table with and without the indexes
/// this project adds) and fauxqs (queues with and without a redrive policy, the bucket).
/// </summary>
public sealed class DoctorCommandTests(DynaliteFixture dynalite, FauxqsFixture fauxqs, ITestOutputHelper log)
    : IClassFixture<DynaliteFixture>, IClassFixture<FauxqsFixture>
{
    private readonly CountingHttpClientFactory _counter = new();

    [Fact]
    public async Task Every_capability_is_ready_on_a_complete_deployment()
    {
        var environment = await DeploymentAsync(withAddedIndexes: true, redrive: true);

        var run = await Harness(environment).RunAsync("doctor");

        log.WriteLine(run.Output);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(string.Empty, run.Error);
        var lines = Lines(run.Output);
        Assert.StartsWith($"runs-fleet doctor: jobs table {environment["RUNS_FLEET_JOBS_TABLE"]} (indexes instance-id-index, status-created_at-index, completed_at-index)", lines[0], StringComparison.Ordinal);
        Assert.Equal(
            ["JobTermination    ready", "OrphanSweep       ready", "OrphanedJobSweep  ready",
             "StaleSsmSweep     ready (needs no table or index; its SSM parameters and EC2 instances are not checked)",
             "OldJobArchival    ready", "PoolAudit         ready", "SqsBridge         ready", "7 of 7 capabilities ready."],
            lines[1..]);
        // One DescribeTable per table, whatever the number of indexes; one HeadBucket for the one
        // bucket both sweeps write to; one GetQueueAttributes per queue.
        Assert.Equal(2, _counter.Count("DescribeTable"));
        Assert.Equal(1, _counter.Count("HEAD"));
        Assert.Equal(2, _counter.Count("GetQueueAttributes"));
        Assert.Equal(5, _counter.Total);
    }

    [Fact]
    public async Task On_runs_fleets_own_table_and_queue_each_capability_that_lacks_something_gets_its_one_fix()
    {
        var environment = await DeploymentAsync(withAddedIndexes: false, redrive: false);
        var table = environment["RUNS_FLEET_JOBS_TABLE"]!;

        var run = await Harness(environment).RunAsync("doctor");

        log.WriteLine(run.Output);
        Assert.Equal(ExitCodes.CompletedWithProblems, run.ExitCode);
        var text = run.Output;
        var active = JobsIndexRequirement.ActiveJobs(new JobsTableOptions { TableName = table });
        Assert.Contains("JobTermination    ready\n", text, StringComparison.Ordinal);
        Assert.Contains($"OrphanSweep       NOT READY: the jobs table {table} has no index status-created_at-index (HASH status, RANGE created_at; projection INCLUDE instance_id (or ALL))\n"
            + $"  fix: {IndexFix.CreateCommand(table, active)}\n"
            + "  terraform: add global_secondary_index \"status-created_at-index\" to resource \"aws_dynamodb_table\" \"jobs\" in runs-fleet's deploy/terraform/dynamodb.tf (an index Terraform does not declare is removed by its next apply):\n"
            + "    global_secondary_index {\n"
            + "      name               = \"status-created_at-index\"\n",
            text, StringComparison.Ordinal);
        Assert.Contains($"OldJobArchival    NOT READY: the jobs table {table} has no index completed_at-index", text, StringComparison.Ordinal);
        Assert.Contains($"SqsBridge         NOT READY: the termination queue {environment["RUNS_FLEET_TERMINATION_QUEUE_URL"]} has no RedrivePolicy", text, StringComparison.Ordinal);
        Assert.Contains("  fix: aws sqs create-queue --queue-name ", text, StringComparison.Ordinal);
        Assert.EndsWith("2 of 7 capabilities ready; fix one problem at a time and run runs-fleet doctor again.\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_carries_every_capability_with_its_state_problem_and_fix()
    {
        var environment = await DeploymentAsync(withAddedIndexes: false, redrive: true);

        var run = await Harness(environment).RunAsync("doctor", "--output", "json");

        Assert.Equal(ExitCodes.CompletedWithProblems, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        Assert.False(json.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal(environment["RUNS_FLEET_JOBS_TABLE"], json.RootElement.GetProperty("checked").GetProperty("jobsTable").GetString());
        var capabilities = json.RootElement.GetProperty("capabilities").EnumerateArray()
            .ToDictionary(c => c.GetProperty("capability").GetString()!, c => c);
        Assert.Equal("Ready", capabilities["JobTermination"].GetProperty("state").GetString());
        Assert.Equal("NotReady", capabilities["PoolAudit"].GetProperty("state").GetString());
        Assert.StartsWith("aws dynamodb update-table --table-name ", capabilities["PoolAudit"].GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains("global_secondary_index {", capabilities["PoolAudit"].GetProperty("terraform").GetString(), StringComparison.Ordinal);
        Assert.Equal("Ready", capabilities["SqsBridge"].GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_wrong_table_name_a_missing_bucket_and_no_queue_are_named_with_their_variable()
    {
        var environment = await DeploymentAsync(withAddedIndexes: true, redrive: true);
        environment["RUNS_FLEET_JOBS_TABLE"] = "runs-fleet-jobz";
        environment["RUNS_FLEET_JOB_ARCHIVE_BUCKET"] = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8];
        environment.Remove("RUNS_FLEET_TERMINATION_QUEUE_URL");
        environment.Remove("RUNS_FLEET_HOUSEKEEPING_QUEUE_URL");

        var run = await Harness(environment).RunAsync("doctor");

        log.WriteLine(run.Output);
        Assert.Equal(ExitCodes.CompletedWithProblems, run.ExitCode);
        Assert.Contains("JobTermination    NOT READY: the jobs table runs-fleet-jobz does not exist in this account and region", run.Output, StringComparison.Ordinal);
        Assert.Contains("  fix: set RUNS_FLEET_JOBS_TABLE to the name of runs-fleet's jobs table", run.Output, StringComparison.Ordinal);
        Assert.Contains("OldJobArchival    NOT READY: the jobs table runs-fleet-jobz does not exist in this account and region (DescribeTable: ResourceNotFoundException: Requested resource not found: Table: runs-fleet-jobz not found) (1 more after this one)", run.Output, StringComparison.Ordinal);
        Assert.Contains("StaleSsmSweep     ready", run.Output, StringComparison.Ordinal);
        Assert.Contains("SqsBridge         NOT READY: RUNS_FLEET_TERMINATION_QUEUE_URL is not set: the bridge has no termination queue", run.Output, StringComparison.Ordinal);
        Assert.Equal(0, _counter.Count("GetQueueAttributes"));
    }

    [Fact]
    public async Task An_aws_error_on_every_check_is_not_checked_exit_6_not_a_crash()
    {
        var harness = new CliHarness
        {
            Dynamo = AwsClients.DynamoDb("http://127.0.0.1:9", maxErrorRetry: 0),
            S3 = AwsClients.S3("http://127.0.0.1:9", maxErrorRetry: 0),
            Sqs = AwsClients.Sqs("http://127.0.0.1:9", maxErrorRetry: 0),
            Environment = { ["RUNS_FLEET_TERMINATION_QUEUE_URL"] = "http://127.0.0.1:9/000000000000/runs-fleet-termination" },
        };

        var run = await harness.RunAsync("doctor");

        log.WriteLine(run.Output);
        Assert.Equal(ExitCodes.AwsError, run.ExitCode);
        var lines = run.Output.Split('\n');
        Assert.Contains("JobTermination    NOT CHECKED: could not read the jobs table runs-fleet-jobs: connection failed: Connection refused (127.0.0.1:9); check the credentials and network, and allow dynamodb:DescribeTable on runs-fleet-jobs to this identity (the worker's task role has it)", lines);
        Assert.Contains("SqsBridge         NOT CHECKED: could not read the termination queue http://127.0.0.1:9/000000000000/runs-fleet-termination (RUNS_FLEET_TERMINATION_QUEUE_URL): connection failed: Connection refused (127.0.0.1:9); check the credentials and network, and allow sqs:GetQueueAttributes on the termination queue to this identity", lines);
        // One line per capability not checked, in words: no .NET type name, no separate fix line.
        Assert.DoesNotContain("Exception", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("  fix:", run.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_fixes_it_prints_run_as_printed_with_the_aws_cli()
    {
        Skip.If(Which("aws") is null, "the aws CLI is not installed: the printed commands are checked by the other tests' exact text only");
        var environment = await DeploymentAsync(withAddedIndexes: false, redrive: false);
        // dynalite 4 wants ProvisionedThroughput on every new index, where DynamoDB refuses it on a
        // PAY_PER_REQUEST table: run the commands on a provisioned copy of runs-fleet's table, for
        // which doctor adds the table's capacity (the on-demand command differs by that field only).
        environment["RUNS_FLEET_JOBS_TABLE"] = await CreateProvisionedRunsFleetJobsTableAsync();
        var json = await Harness(environment).RunAsync("doctor", "--output", "json");
        var fixes = JsonDocument.Parse(json.Output).RootElement.GetProperty("capabilities").EnumerateArray()
            .Where(c => c.GetProperty("state").GetString() == "NotReady")
            .ToDictionary(c => c.GetProperty("capability").GetString()!, c => c.GetProperty("fix").GetString()!);
        Assert.Equal(["OrphanSweep", "OrphanedJobSweep", "OldJobArchival", "PoolAudit", "SqsBridge"], fixes.Keys);

        // The aws CLI parses each index command against DynamoDB's API model and dynalite validates
        // the request; dynalite 4 then accepts it without building the index, so "ready afterwards"
        // cannot be shown for indexes here.
        foreach (var fix in new[] { fixes["OrphanSweep"], fixes["OldJobArchival"] })
        {
            var (exit, output) = await RunShellAsync(fix, dynalite.ServiceUrl);
            log.WriteLine($"{fix}\n=> {exit}");
            Assert.True(exit == 0, $"{fix}\n{output}");
            Assert.Contains(environment["RUNS_FLEET_JOBS_TABLE"]!, output, StringComparison.Ordinal);
        }

        // The queue fix runs whole: the dead-letter queue is created, the policy set, and the bridge is ready.
        var (queueExit, queueOutput) = await RunShellAsync(fixes["SqsBridge"], fauxqs.ServiceUrl);
        Assert.True(queueExit == 0, $"{fixes["SqsBridge"]}\n{queueOutput}");
        var again = await Harness(environment).RunAsync("doctor");
        Assert.Contains("SqsBridge         ready", again.Output, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string?>> DeploymentAsync(bool withAddedIndexes, bool redrive)
    {
        var bucket = await fauxqs.CreateBucketAsync("doctor");
        using var sqs = fauxqs.CreateSqsClient();
        var termination = redrive
            ? (await fauxqs.CreateStandardQueueWithDlqAsync("doctor-termination")).QueueUrl
            : (await sqs.CreateQueueAsync("runs-fleet-termination-" + Guid.NewGuid().ToString("N")[..8])).QueueUrl;
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["RUNS_FLEET_JOBS_TABLE"] = await dynalite.CreateJobsTableAsync(withAddedIndexes: withAddedIndexes),
            ["RUNS_FLEET_POOLS_TABLE"] = await dynalite.CreatePoolsTableAsync(),
            ["RUNS_FLEET_JOB_ARCHIVE_BUCKET"] = bucket,
            ["RUNS_FLEET_REPORT_BUCKET"] = bucket,
            ["RUNS_FLEET_TERMINATION_QUEUE_URL"] = termination,
            ["RUNS_FLEET_HOUSEKEEPING_QUEUE_URL"] = (await fauxqs.CreateStandardQueueWithDlqAsync("doctor-housekeeping")).QueueUrl,
        };
    }

    // runs-fleet's jobs table (deploy/terraform/dynamodb.tf:31-84) in PROVISIONED mode.
    private async Task<string> CreateProvisionedRunsFleetJobsTableAsync()
    {
        var name = "jobs-provisioned-" + Guid.NewGuid().ToString("N")[..8];
        var capacity = new ProvisionedThroughput(5, 5);
        GlobalSecondaryIndex Index(string index, string hash, string? range) => new()
        {
            IndexName = index,
            KeySchema = range is null ? [new(hash, KeyType.HASH)] : [new(hash, KeyType.HASH), new(range, KeyType.RANGE)],
            Projection = new Projection { ProjectionType = ProjectionType.ALL },
            ProvisionedThroughput = capacity,
        };
        using var client = dynalite.CreateClient();
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            KeySchema = [new("job_id", KeyType.HASH)],
            AttributeDefinitions = [new("job_id", ScalarAttributeType.N), new("pool", ScalarAttributeType.S), new("created_at", ScalarAttributeType.S), new("instance_id", ScalarAttributeType.S), new("status", ScalarAttributeType.S)],
            GlobalSecondaryIndexes = [Index("pool-created-at-index", "pool", "created_at"), Index("instance-id-index", "instance_id", null), Index("pool-status-index", "pool", "status")],
            ProvisionedThroughput = capacity,
        });
        await WaitUntilIndexesActiveAsync(name);
        return name;
    }

    private CliHarness Harness(Dictionary<string, string?> environment) => new()
    {
        Dynamo = new AmazonDynamoDBClient(AwsClients.Credentials, new AmazonDynamoDBConfig
        {
            ServiceURL = dynalite.ServiceUrl, AuthenticationRegion = AwsClients.Region, HttpClientFactory = _counter,
        }),
        S3 = new AmazonS3Client(AwsClients.Credentials, new AmazonS3Config
        {
            ServiceURL = fauxqs.ServiceUrl, AuthenticationRegion = AwsClients.Region, ForcePathStyle = true, HttpClientFactory = _counter,
        }),
        Sqs = new AmazonSQSClient(AwsClients.Credentials, new AmazonSQSConfig
        {
            ServiceURL = fauxqs.ServiceUrl, AuthenticationRegion = AwsClients.Region, HttpClientFactory = _counter,
        }),
        Environment = environment,
    };

    private static List<string> Lines(string text) => [.. text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')];

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static async Task<(int Exit, string Output)> RunShellAsync(string command, string endpoint)
    {
        // This aws CLI (v1) ignores AWS_ENDPOINT_URL for SQS: point every call at the emulator by option.
        var atEmulator = command.Replace("aws sqs ", $"aws --endpoint-url {endpoint} sqs ", StringComparison.Ordinal);
        var start = new ProcessStartInfo("bash", ["-c", atEmulator])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["AWS_ENDPOINT_URL"] = endpoint,
                ["AWS_ACCESS_KEY_ID"] = "test",
                ["AWS_SECRET_ACCESS_KEY"] = "test",
                ["AWS_DEFAULT_REGION"] = AwsClients.Region,
                ["AWS_CONFIG_FILE"] = "/dev/null",
                ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    private async Task WaitUntilIndexesActiveAsync(string table)
    {
        using var client = dynalite.CreateClient();
        for (var i = 0; i < 200; i++)
        {
            var description = (await client.DescribeTableAsync(table)).Table;
            if (description.GlobalSecondaryIndexes.All(g => g.IndexStatus == IndexStatus.ACTIVE) && description.TableStatus == TableStatus.ACTIVE)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"the indexes of {table} did not become ACTIVE");
    }
}
