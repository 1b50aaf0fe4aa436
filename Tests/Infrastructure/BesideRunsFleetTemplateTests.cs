using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using RunsFleet.Infrastructure;
using RunsFleet.Infrastructure.Messaging;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// The stack beside a running runs-fleet: its jobs and pools tables and its termination queue adopted by name
/// or URL. Nothing of runs-fleet's is created or changed; the grants, variables, alarm and outputs name what was
/// adopted.
/// </summary>
[Collection(SynthesizedStacksCollection.Name)]
public class BesideRunsFleetTemplateTests(SynthesizedStacksFixture stacks)
{
    private const string AdoptedQueueArn = "arn:${AWS::Partition}:sqs:eu-west-1:123456789012:runs-fleet-termination";

    private static string TableArn(string resource) =>
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/" + resource;

    [Fact]
    public void No_table_and_no_termination_queue_or_dlq_is_created_only_the_housekeeping_pair()
    {
        var stack = stacks.BesideRunsFleet;
        var queues = QueueNames(stack).Keys.Order(StringComparer.Ordinal);

        stack.Template.ResourceCountIs("AWS::DynamoDB::Table", 0);
        stack.Template.ResourceCountIs("AWS::DynamoDB::GlobalTable", 0);
        Assert.Equal(["runs-fleet-housekeeping", "runs-fleet-housekeeping-dlq"], queues);
        Assert.True(stack.Stack.Queues.TerminationAdopted);
        Assert.DoesNotContain(stack.Resources("AWS::SQS::QueuePolicy"), policy =>
            policy.Properties.GetRawText().Contains("runs-fleet-termination", StringComparison.Ordinal));
    }

    [Fact]
    public void Bridge_reads_the_adopted_queue_by_its_url_and_is_granted_exactly_it_and_the_housekeeping_queue()
    {
        var stack = stacks.BesideRunsFleet;
        var housekeeping = QueueNames(stack)["runs-fleet-housekeeping"];
        var statements = stack.TaskRoleStatements("sqs-bridge");
        var env = stack.EnvironmentOf("sqs-bridge");

        Assert.Equal(SynthesizedStacksFixture.AdoptedTerminationQueueUrl, env["RUNS_FLEET_TERMINATION_QUEUE_URL"]);
        foreach (var action in new[]
        {
            "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
        })
        {
            var statement = Assert.Single(statements, s => SynthesizedStack.Actions(s).Contains(action));
            Assert.Equal([AdoptedQueueArn, "${" + housekeeping + ".Arn}"], SynthesizedStack.ResourcesOf(statement));
        }
    }

    [Fact]
    public void Worker_grants_cover_the_adopted_tables_and_the_adopted_jobs_tables_indexes()
    {
        var statements = stacks.BesideRunsFleet.TaskRoleStatements("worker");
        var jobs = TableArn(SynthesizedStacksFixture.AdoptedJobsTable);

        Assert.Equal(
            [
                jobs,
                jobs + "/index/completed_at-index",
                jobs + "/index/instance-id-index",
                jobs + "/index/status-created_at-index",
            ],
            ResourcesOf(statements, "dynamodb:Query"));
        foreach (var action in new[] { "dynamodb:UpdateItem", "dynamodb:GetItem", "dynamodb:BatchWriteItem" })
        {
            Assert.Equal([jobs], ResourcesOf(statements, action));
        }

        Assert.Equal([TableArn(SynthesizedStacksFixture.AdoptedPoolsTable)], ResourcesOf(statements, "dynamodb:Scan"));
    }

    [Fact]
    public void Worker_gets_the_adopted_table_names_and_the_index_names_it_is_granted()
    {
        var env = stacks.BesideRunsFleet.EnvironmentOf("worker");

        Assert.Equal(SynthesizedStacksFixture.AdoptedJobsTable, env["RUNS_FLEET_JOBS_TABLE"]);
        Assert.Equal(SynthesizedStacksFixture.AdoptedPoolsTable, env["RUNS_FLEET_POOLS_TABLE"]);
        Assert.Equal("instance-id-index", env["RUNS_FLEET_JOBS_INSTANCE_ID_GSI"]);
        Assert.Equal("completed_at-index", env["RUNS_FLEET_JOBS_COMPLETED_AT_GSI"]);
        Assert.Equal("status-created_at-index", env["RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI"]);
    }

    [Fact]
    public void The_known_dlq_of_the_adopted_queue_is_alarmed_and_output_and_the_kind_is_the_adopted_queues()
    {
        var stack = stacks.BesideRunsFleet;
        var outputs = stack.Json.GetProperty("Outputs");

        stack.Template.HasResourceProperties("AWS::CloudWatch::Alarm", new Dictionary<string, object>
        {
            ["AlarmName"] = "runs-fleet-termination-dlq-not-empty",
            ["Namespace"] = "AWS/SQS",
            ["MetricName"] = "ApproximateNumberOfMessagesVisible",
            ["Dimensions"] = new object[]
            {
                new Dictionary<string, object> { ["Name"] = "QueueName", ["Value"] = "runs-fleet-termination-dlq" },
            },
            ["Threshold"] = 0,
        });
        Assert.Equal(TerminationQueueKind.Standard, stack.Stack.Queues.TerminationKind);
        Assert.Equal("standard", outputs.GetProperty("TerminationQueueKind").GetProperty("Value").GetString());
        Assert.Equal(
            SynthesizedStacksFixture.AdoptedTerminationQueueUrl,
            outputs.GetProperty("TerminationQueueUrl").GetProperty("Value").GetString());
        Assert.Contains(
            "/runs-fleet-termination-dlq",
            outputs.GetProperty("TerminationDeadLetterQueueUrl").GetProperty("Value").GetRawText(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_first_cutover_deployment_runs_the_worker_and_leaves_the_bridge_at_zero_tasks()
    {
        var services = stacks.BesideRunsFleet.Resources("AWS::ECS::Service")
            .ToDictionary(
                s => s.Properties.GetProperty("ServiceName").GetString()!,
                s => s.Properties.GetProperty("DesiredCount").GetInt32());

        Assert.Equal(1, services["runs-fleet-worker"]);
        Assert.Equal(0, services["runs-fleet-sqs-bridge"]);
        Assert.Equal(2, services.Count);
    }

    [Fact]
    public void A_queue_adopted_by_name_without_its_dlq_is_in_the_stacks_account_and_gets_no_dlq_alarm_or_output()
    {
        var app = new App();
        var account = new Amazon.CDK.Environment { Account = "210987654321", Region = "us-east-2" };
        var stack = new Stack(app, "Adopting", new StackProps { Env = account });
        var settings = new RunsFleetSettings
        {
            TemporalAddress = "t:7233",
            TerminationQueueKind = TerminationQueueKind.Standard,
            ExistingTerminationQueue = QueueReference.TryParse("runs-fleet-termination", out _),
        };

        var queues = new RunsFleetQueues(stack, "Queues", settings);
        var template = Template.FromStack(stack);
        var arn = Rendered(stack, queues.Termination.QueueArn);
        var url = Rendered(stack, queues.Termination.QueueUrl);

        Assert.Contains(":sqs:us-east-2:210987654321:runs-fleet-termination\"", arn, StringComparison.Ordinal);
        Assert.Contains("https://sqs.us-east-2.", url, StringComparison.Ordinal);
        Assert.Contains("/210987654321/runs-fleet-termination\"", url, StringComparison.Ordinal);
        Assert.Null(queues.TerminationDeadLetters);
        Assert.Null(queues.TerminationDlqAlarm);
        template.ResourceCountIs("AWS::CloudWatch::Alarm", 1);
        template.ResourceCountIs("AWS::SQS::Queue", 2);
    }

    private static string Rendered(Stack stack, string value) => JsonSerializer.Serialize(stack.Resolve(value));

    /// <summary>Logical id of every queue in the template, by queue name.</summary>
    private static Dictionary<string, string> QueueNames(SynthesizedStack stack) =>
        stack.Resources("AWS::SQS::Queue").ToDictionary(q => q.Properties.GetProperty("QueueName").GetString()!, q => q.Id);

    private static IReadOnlyList<string> ResourcesOf(IReadOnlyList<JsonElement> statements, string action) =>
        SynthesizedStack.ResourcesOf(Assert.Single(statements, s => SynthesizedStack.Actions(s).Contains(action)));
}
