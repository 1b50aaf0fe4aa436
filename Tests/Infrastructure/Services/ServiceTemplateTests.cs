using System.Text.Json;
using Amazon.CDK.Assertions;
using RunsFleet.Infrastructure;
using RunsFleet.Infrastructure.Permissions;

namespace RunsFleet.Tests.Infrastructure.Services;

/// <summary>ECS task definitions, containers and task roles of the synthesized stack.</summary>
[Collection(SynthesizedStacksCollection.Name)]
public class ServiceTemplateTests(SynthesizedStacksFixture stacks)
{
    private static readonly string[] WorkerActions =
    [
        "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query",
        "dynamodb:Scan", "dynamodb:UpdateItem",
        "ec2:CancelSpotInstanceRequests", "ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:TerminateInstances",
        "s3:PutObject",
        "ssm:DeleteParameters", "ssm:DescribeParameters",
    ];

    private static readonly string[] BridgeActions =
        ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"];

    [Fact]
    public void Worker_container_gets_every_variable_the_worker_reads_with_the_stack_values()
    {
        var env = stacks.Default.EnvironmentOf("worker");

        Assert.Equal(KnownEnvironmentVariables.SetByCdkFor(ReadBy.Worker).Append("AWS_REGION").Append("TEMPORAL_TLS").Order(), env.Keys.Order());
        Assert.Equal(SynthesizedStack.TemporalAddress, env["TEMPORAL_ADDRESS"]);
        Assert.Equal(SynthesizedStack.TemporalNamespace, env["TEMPORAL_NAMESPACE"]);
        Assert.Equal("true", env["TEMPORAL_TLS"]);
        Assert.Equal("runs-fleet", env["RUNS_FLEET_TASK_QUEUE"]);
        Assert.Equal("runs-fleet-jobs", env["RUNS_FLEET_JOBS_TABLE"]);
        Assert.Equal("runs-fleet-pools", env["RUNS_FLEET_POOLS_TABLE"]);
        Assert.Equal("/runs-fleet/runners", env["RUNS_FLEET_RUNNER_PARAMETER_PREFIX"]);
        Assert.Equal("runs-fleet/jobs-archive", env["RUNS_FLEET_JOB_ARCHIVE_PREFIX"]);
        Assert.Equal("pool-audit", env["RUNS_FLEET_REPORT_PREFIX"]);
        Assert.Equal("RunsFleet", env["RUNS_FLEET_METRICS_NAMESPACE"]);
        Assert.Equal("/tmp/runs-fleet.health", env["RUNS_FLEET_HEALTH_FILE"]);
        Assert.Equal("true", env["RUNS_FLEET_APPLY_SCHEDULES"]);
        Assert.True(int.Parse(env["RUNS_FLEET_SHUTDOWN_SECONDS"]) < RunsFleet.Infrastructure.Services.FleetServices.WorkerStopTimeoutSeconds,
            "in-flight activities must finish before ECS kills the worker");
        Assert.DoesNotContain("RUNS_FLEET_TERMINATION_QUEUE_URL", env.Keys);
        var bucketRef = $"{{\"Ref\":\"{Assert.Single(stacks.Default.Resources("AWS::S3::Bucket")).Id}\"}}";
        Assert.Equal(bucketRef, env["RUNS_FLEET_JOB_ARCHIVE_BUCKET"]);
        Assert.Equal(bucketRef, env["RUNS_FLEET_REPORT_BUCKET"]);
    }

    [Fact]
    public void Bridge_container_gets_every_variable_the_bridge_reads_with_both_queue_urls()
    {
        var env = stacks.Default.EnvironmentOf("sqs-bridge");

        Assert.Equal(KnownEnvironmentVariables.SetByCdkFor(ReadBy.Bridge).Append("AWS_REGION").Append("TEMPORAL_TLS").Order(), env.Keys.Order());
        Assert.Equal($"{{\"Ref\":\"{QueueId("runs-fleet-termination.fifo")}\"}}", env["RUNS_FLEET_TERMINATION_QUEUE_URL"]);
        Assert.Equal($"{{\"Ref\":\"{QueueId("runs-fleet-housekeeping")}\"}}", env["RUNS_FLEET_HOUSEKEEPING_QUEUE_URL"]);
        Assert.Equal(SynthesizedStack.TemporalAddress, env["TEMPORAL_ADDRESS"]);
        Assert.Equal("runs-fleet", env["RUNS_FLEET_TASK_QUEUE"]);
        Assert.True(int.Parse(env["RUNS_FLEET_BRIDGE_SHUTDOWN_SECONDS"]) < RunsFleet.Infrastructure.Services.FleetServices.BridgeStopTimeoutSeconds,
            "the bridge must finish draining before ECS kills it");
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("sqs-bridge")]
    public void Temporal_api_key_comes_from_secrets_manager_and_never_as_a_plain_variable(string container)
    {
        var definition = stacks.Default.Container(container).Container;
        var secret = Assert.Single(definition.GetProperty("Secrets").EnumerateArray());

        Assert.Equal("TEMPORAL_API_KEY", secret.GetProperty("Name").GetString());
        Assert.Contains(":secret:" + SynthesizedStack.ApiKeySecretName, secret.GetProperty("ValueFrom").GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(stacks.Default.EnvironmentOf(container).Keys, name =>
            name.Contains("KEY", StringComparison.Ordinal) || name.Contains("SECRET", StringComparison.Ordinal) || name.Contains("PASSWORD", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_an_api_key_secret_or_tls_the_containers_get_neither()
    {
        var definition = stacks.WithCreatedJobsTable.Container("worker").Container;

        Assert.False(definition.TryGetProperty("Secrets", out _));
        Assert.DoesNotContain("TEMPORAL_TLS", stacks.WithCreatedJobsTable.EnvironmentOf("worker").Keys);
    }

    [Theory]
    [InlineData("worker", "/runs-fleet/worker", 120)]
    [InlineData("sqs-bridge", "/runs-fleet/sqs-bridge", 60)]
    public void Containers_log_to_their_cloudwatch_log_group_and_report_health_from_the_health_file(string container, string logGroup, int stopTimeout)
    {
        var definition = stacks.Default.Container(container).Container;
        var logging = definition.GetProperty("LogConfiguration");
        var groupId = logging.GetProperty("Options").GetProperty("awslogs-group").GetProperty("Ref").GetString();

        Assert.Equal("awslogs", logging.GetProperty("LogDriver").GetString());
        Assert.Equal(logGroup, stacks.Default.Json.GetProperty("Resources").GetProperty(groupId!).GetProperty("Properties").GetProperty("LogGroupName").GetString());
        Assert.Equal(
            ["CMD-SHELL", "find /tmp/runs-fleet.health -mmin -1 | grep -q ."],
            definition.GetProperty("HealthCheck").GetProperty("Command").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(stopTimeout, definition.GetProperty("StopTimeout").GetInt32());
        Assert.True(definition.GetProperty("Essential").GetBoolean());
    }

    [Fact]
    public void Both_services_run_on_fargate_with_a_rollback_circuit_breaker()
    {
        stacks.Default.Template.ResourceCountIs("AWS::ECS::Service", 2);
        foreach (var name in new[] { "runs-fleet-worker", "runs-fleet-sqs-bridge" })
        {
            stacks.Default.Template.HasResourceProperties("AWS::ECS::Service", new Dictionary<string, object>
            {
                ["ServiceName"] = name,
                ["LaunchType"] = "FARGATE",
                ["DesiredCount"] = 1,
                ["DeploymentConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["DeploymentCircuitBreaker"] = new Dictionary<string, object> { ["Enable"] = true, ["Rollback"] = true },
                    ["MinimumHealthyPercent"] = 100,
                }),
            });
        }
    }

    [Fact]
    public void Worker_task_role_allows_exactly_the_reviewed_worker_actions()
    {
        // sqs:SendMessage only with runsFleet:jobQueueUrl (runs-fleet's job queue), which the second stack names.
        string[] withJobQueue = [.. WorkerActions.Append("sqs:SendMessage").Order(StringComparer.Ordinal)];
        Assert.Equal(WorkerActions, stacks.Default.AllowedActions("worker"));
        var listed = ServicePermissions.Worker.Select(g => g.Action).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(listed, withJobQueue);
        Assert.Equal(withJobQueue, stacks.WithCreatedJobsTable.AllowedActions("worker"));
    }

    [Fact]
    public void Bridge_task_role_allows_exactly_the_reviewed_bridge_actions()
    {
        Assert.Equal(BridgeActions, stacks.Default.AllowedActions("sqs-bridge"));
        Assert.Equal(ServicePermissions.Bridge.Select(g => g.Action).Order(StringComparer.Ordinal), BridgeActions);
    }

    [Fact]
    public void The_two_services_have_different_task_roles()
    {
        var worker = stacks.Default.Container("worker").TaskDefinition.GetProperty("TaskRoleArn").GetRawText();
        var bridge = stacks.Default.Container("sqs-bridge").TaskDefinition.GetProperty("TaskRoleArn").GetRawText();

        Assert.NotEqual(worker, bridge);
    }

    [Fact]
    public void Terminate_instances_is_allowed_only_on_instances_tagged_runs_fleet_managed_true_or_packer_builders()
    {
        var statements = stacks.Default.TaskRoleStatements("worker").Where(s => SynthesizedStack.Actions(s).Contains("ec2:TerminateInstances")).ToList();
        string? Tag(JsonElement statement, string key) =>
            statement.GetProperty("Condition").GetProperty("StringEquals").TryGetProperty(key, out var value) ? value.GetString() : null;

        Assert.Equal(2, statements.Count);
        Assert.All(statements, s => Assert.Equal(["ec2:TerminateInstances"], SynthesizedStack.Actions(s)));
        Assert.All(statements, s => Assert.Equal(["arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*"], SynthesizedStack.ResourcesOf(s)));
        Assert.Single(statements, s => Tag(s, "ec2:ResourceTag/runs-fleet:managed") == "true");
        // OrphanSweep phase f: runs-fleet's Packer builders (packer/*.pkr.hcl run_tags created-by=runs-fleet-packer).
        Assert.Single(statements, s => Tag(s, "ec2:ResourceTag/created-by") == "runs-fleet-packer");
    }

    [Fact]
    public void Only_describe_actions_without_resource_level_permissions_get_resource_star()
    {
        var unscoped = stacks.Default.TaskRoleStatements("worker").Concat(stacks.Default.TaskRoleStatements("sqs-bridge"))
            .Where(s => SynthesizedStack.ResourcesOf(s).Contains("*"))
            .SelectMany(SynthesizedStack.Actions)
            .Order();

        Assert.Equal(["ec2:CancelSpotInstanceRequests", "ec2:DescribeInstances", "ec2:DescribeVolumes", "ssm:DescribeParameters"], unscoped);
    }

    [Fact]
    public void Worker_actions_are_limited_to_the_jobs_table_its_indexes_the_pools_table_the_runner_path_and_the_bucket_prefixes()
    {
        var statements = stacks.Default.TaskRoleStatements("worker");
        static string Arn(string service, string resource) => "arn:${AWS::Partition}:" + service + ":${AWS::Region}:${AWS::AccountId}:" + resource;
        var bucket = Assert.Single(stacks.Default.Resources("AWS::S3::Bucket")).Id;

        Assert.Equal([Arn("dynamodb", "table/runs-fleet-jobs")], ResourcesOf(statements, "dynamodb:UpdateItem"));
        Assert.Equal([Arn("dynamodb", "table/runs-fleet-jobs")], ResourcesOf(statements, "dynamodb:GetItem"));
        Assert.Equal([Arn("dynamodb", "table/runs-fleet-jobs")], ResourcesOf(statements, "dynamodb:BatchWriteItem"));
        Assert.Equal(
            [Arn("dynamodb", "table/runs-fleet-jobs"), Arn("dynamodb", "table/runs-fleet-jobs/index/completed_at-index"), Arn("dynamodb", "table/runs-fleet-jobs/index/instance-id-index"), Arn("dynamodb", "table/runs-fleet-jobs/index/status-created_at-index")],
            ResourcesOf(statements, "dynamodb:Query"));
        Assert.Equal([Arn("dynamodb", "table/runs-fleet-pools")], ResourcesOf(statements, "dynamodb:Scan"));
        // OrphanedJobSweep's requeued_at reads (jobs table) and OrphanSweep's instance claims (pools table).
        Assert.Equal(
            [Arn("dynamodb", "table/runs-fleet-jobs"), Arn("dynamodb", "table/runs-fleet-pools")],
            ResourcesOf(statements, "dynamodb:BatchGetItem"));
        Assert.Equal([Arn("ssm", "parameter/runs-fleet/runners/*")], ResourcesOf(statements, "ssm:DeleteParameters"));
        Assert.Equal(["${" + bucket + ".Arn}/runs-fleet/jobs-archive/*", "${" + bucket + ".Arn}/pool-audit/*"], ResourcesOf(statements, "s3:PutObject"));
    }

    [Fact]
    public void Bridge_actions_are_limited_to_the_two_source_queues_not_their_dlqs()
    {
        var statements = stacks.Default.TaskRoleStatements("sqs-bridge");
        var queues = new[] { "${" + QueueId("runs-fleet-termination.fifo") + ".Arn}", "${" + QueueId("runs-fleet-housekeeping") + ".Arn}" };

        foreach (var action in BridgeActions)
        {
            Assert.Equal(queues, ResourcesOf(statements, action));
        }
    }

    [Fact]
    public void No_task_role_statement_names_a_wildcard_action_and_no_policy_anywhere_allows_one()
    {
        var taskRoleActions = stacks.Default.TaskRoleStatements("worker").Concat(stacks.Default.TaskRoleStatements("sqs-bridge")).SelectMany(SynthesizedStack.Actions);
        Assert.DoesNotContain(taskRoleActions, action => action.Contains('*', StringComparison.Ordinal));

        // Every Allow statement in any policy of the template (roles, managed policies, bucket and queue policies).
        // Deny statements may use s3:* / sqs:* : that is how TLS is enforced on the bucket and the queues.
        var allowed = AllStatements(stacks.Default.Json).Concat(AllStatements(stacks.WithCreatedJobsTable.Json))
            .Where(s => s.GetProperty("Effect").GetString() == "Allow")
            .SelectMany(s => s.TryGetProperty("Action", out _) ? SynthesizedStack.Actions(s) : ["<NotAction>"])
            .ToList();
        Assert.NotEmpty(allowed);
        Assert.DoesNotContain(allowed, action => action.Contains('*', StringComparison.Ordinal) || action == "<NotAction>");
    }

    [Fact]
    public void Settings_without_a_temporal_address_fail_naming_the_context_key()
    {
        var app = new Amazon.CDK.App();

        var error = Assert.Throws<InvalidOperationException>(() => RunsFleetSettings.FromContext(app.Node));

        Assert.Contains(RunsFleetSettings.Keys.TemporalAddress, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_factory_refuses_a_wildcard_action()
    {
        var resources = CdkAppTests.Resources(runnerProfile: null);

        Assert.Throws<ArgumentException>(() => PolicyFactory.Document([new ActionGrant("dynamodb:*", ResourceScope.JobsTable, "no")], resources));
    }

    private static IReadOnlyList<string> ResourcesOf(IReadOnlyList<JsonElement> statements, string action) =>
        SynthesizedStack.ResourcesOf(Assert.Single(statements, s => SynthesizedStack.Actions(s).Contains(action)));

    private static IEnumerable<JsonElement> AllStatements(JsonElement template)
    {
        foreach (var resource in template.GetProperty("Resources").EnumerateObject())
        {
            if (!resource.Value.TryGetProperty("Properties", out var properties))
            {
                continue;
            }

            var documents = new List<JsonElement>();
            if (properties.TryGetProperty("PolicyDocument", out var document))
            {
                documents.Add(document);
            }

            if (properties.TryGetProperty("Policies", out var inline) && inline.ValueKind == JsonValueKind.Array)
            {
                documents.AddRange(inline.EnumerateArray().Select(p => p.GetProperty("PolicyDocument")));
            }

            if (properties.TryGetProperty("AssumeRolePolicyDocument", out var trust))
            {
                documents.Add(trust);
            }

            foreach (var statement in documents.SelectMany(d => d.GetProperty("Statement").EnumerateArray()))
            {
                yield return statement;
            }
        }
    }

    private string QueueId(string queueName) =>
        stacks.Default.Resources("AWS::SQS::Queue").Single(q => q.Properties.GetProperty("QueueName").GetString() == queueName).Id;

    [Theory]
    [InlineData("runs-fleet-worker")]
    [InlineData("runs-fleet-sqs-bridge")]
    public void Private_ecr_images_can_be_pulled_by_the_task_execution_role(string repository)
    {
        // FromRegistry would grant nothing: a private ECR image would never start on Fargate.
        var policies = stacks.Default.Resources("AWS::IAM::Policy").Select(p => p.Properties.GetRawText()).ToList();

        Assert.Contains(policies, policy =>
            policy.Contains("\"ecr:BatchGetImage\"", StringComparison.Ordinal)
            && policy.Contains($"repository/{repository}", StringComparison.Ordinal));
        var image = stacks.Default.Container(repository == "runs-fleet-worker" ? "worker" : "sqs-bridge").Container.GetProperty("Image").GetRawText();
        Assert.Contains($"{repository}:test", image, StringComparison.Ordinal);
    }
}
