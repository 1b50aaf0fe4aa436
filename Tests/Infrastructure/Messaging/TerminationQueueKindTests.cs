using System.Text.Json;
using Amazon.CDK.Assertions;
using RunsFleet.Infrastructure;
using RunsFleet.Infrastructure.Messaging;

namespace RunsFleet.Tests.Infrastructure.Messaging;

/// <summary>
/// <c>runsFleet:terminationQueueKind</c>: a FIFO (default) or standard termination queue, and everything that
/// depends on it (DLQ, alarm, encryption and TLS, the bridge's queue URL and grants, the stack outputs).
/// </summary>
[Collection(SynthesizedStacksCollection.Name)]
public class TerminationQueueKindTests(SynthesizedStacksFixture stacks)
{
    private const int FourteenDays = 14 * 24 * 3600;

    [Fact]
    public void Without_the_context_key_the_termination_queue_is_fifo()
    {
        Assert.Equal(TerminationQueueKind.Fifo, stacks.Default.Stack.Queues.TerminationKind);
        Assert.Equal(TerminationQueueKind.Standard, stacks.WithStandardTerminationQueue.Stack.Queues.TerminationKind);
    }

    [Fact]
    public void Standard_termination_queue_has_no_fifo_settings_and_keeps_120s_visibility_14_days_and_its_dlq_after_3_receives()
    {
        var stack = stacks.WithStandardTerminationQueue;

        stack.Template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["QueueName"] = "runs-fleet-termination",
            ["FifoQueue"] = Match.Absent(),
            ["ContentBasedDeduplication"] = Match.Absent(),
            ["VisibilityTimeout"] = RunsFleetQueues.TerminationVisibilitySeconds,
            ["MessageRetentionPeriod"] = FourteenDays,
            ["RedrivePolicy"] = new Dictionary<string, object>
            {
                ["deadLetterTargetArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { QueueId(stack, "runs-fleet-termination-dlq"), "Arn" } },
                ["maxReceiveCount"] = RunsFleetQueues.MaxReceiveCount,
            },
        });
        stack.Template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["QueueName"] = "runs-fleet-termination-dlq",
            ["FifoQueue"] = Match.Absent(),
            ["MessageRetentionPeriod"] = FourteenDays,
            ["RedrivePolicy"] = Match.Absent(),
        });
    }

    [Fact]
    public void Visibility_timeout_is_the_same_120s_floor_on_both_kinds()
    {
        Assert.Equal(120, RunsFleetQueues.TerminationVisibilitySeconds);
        foreach (var kind in Enum.GetValues<TerminationQueueKind>())
        {
            var stack = stacks.WithTerminationQueue(kind);
            var queue = Properties(stack, RunsFleetQueues.TerminationQueueNameFor(kind));
            Assert.Equal(120, queue.GetProperty("VisibilityTimeout").GetInt32());
        }
    }

    [Theory]
    [InlineData(TerminationQueueKind.Fifo, "runs-fleet-termination.fifo", "runs-fleet-termination-dlq.fifo")]
    [InlineData(TerminationQueueKind.Standard, "runs-fleet-termination", "runs-fleet-termination-dlq")]
    public void Queue_and_dlq_names_follow_the_kind_and_only_a_fifo_stack_has_fifo_queues(TerminationQueueKind kind, string queueName, string dlqName)
    {
        var stack = stacks.WithTerminationQueue(kind);
        var names = stack.Resources("AWS::SQS::Queue").Select(q => q.Properties.GetProperty("QueueName").GetString()!).Order(StringComparer.Ordinal);
        var fifoQueues = stack.Resources("AWS::SQS::Queue")
            .Where(q => q.Properties.TryGetProperty("FifoQueue", out var fifo) && fifo.GetBoolean())
            .Select(q => q.Properties.GetProperty("QueueName").GetString()!)
            .Order(StringComparer.Ordinal);

        Assert.Equal(queueName, RunsFleetQueues.TerminationQueueNameFor(kind));
        Assert.Equal(dlqName, RunsFleetQueues.TerminationDlqNameFor(kind));
        Assert.Equal(new[] { "runs-fleet-housekeeping", "runs-fleet-housekeeping-dlq", queueName, dlqName }.Order(StringComparer.Ordinal), names);
        Assert.Equal(kind == TerminationQueueKind.Fifo ? new[] { dlqName, queueName }.Order(StringComparer.Ordinal) : [], fifoQueues);
    }

    [Theory]
    [InlineData(TerminationQueueKind.Fifo)]
    [InlineData(TerminationQueueKind.Standard)]
    public void Every_queue_is_encrypted_at_rest_and_refuses_requests_without_tls(TerminationQueueKind kind)
    {
        var stack = stacks.WithTerminationQueue(kind);
        var queues = stack.Resources("AWS::SQS::Queue").ToList();
        var tlsOnly = stack.Resources("AWS::SQS::QueuePolicy")
            .Where(policy => policy.Properties.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().Any(DeniesInsecureTransport))
            .SelectMany(policy => policy.Properties.GetProperty("Queues").EnumerateArray().Select(q => q.GetProperty("Ref").GetString()!))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(4, queues.Count);
        Assert.All(queues, queue => Assert.True(queue.Properties.GetProperty("SqsManagedSseEnabled").GetBoolean(), queue.Id));
        Assert.All(queues, queue => Assert.Contains(queue.Id, tlsOnly));
    }

    [Theory]
    [InlineData(TerminationQueueKind.Fifo, "runs-fleet-termination-dlq.fifo")]
    [InlineData(TerminationQueueKind.Standard, "runs-fleet-termination-dlq")]
    public void The_termination_dlq_of_either_kind_has_its_not_empty_alarm(TerminationQueueKind kind, string dlqName)
    {
        var stack = stacks.WithTerminationQueue(kind);

        // The two DLQ alarms, and the bridge's own (MonitoringTemplateTests).
        stack.Template.ResourceCountIs("AWS::CloudWatch::Alarm", 2 + stack.Stack.BridgeAlarms.Alarms.Count);
        stack.Template.HasResourceProperties("AWS::CloudWatch::Alarm", new Dictionary<string, object>
        {
            ["AlarmName"] = dlqName + "-not-empty",
            ["Namespace"] = "AWS/SQS",
            ["MetricName"] = "ApproximateNumberOfMessagesVisible",
            ["Dimensions"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["Name"] = "QueueName",
                    ["Value"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { QueueId(stack, dlqName), "QueueName" } },
                },
            },
            ["ComparisonOperator"] = "GreaterThanThreshold",
            ["Threshold"] = 0,
        });
    }

    [Theory]
    [InlineData(TerminationQueueKind.Fifo)]
    [InlineData(TerminationQueueKind.Standard)]
    public void Bridge_reads_and_is_granted_exactly_the_termination_queue_of_the_kind_and_the_housekeeping_queue(TerminationQueueKind kind)
    {
        var stack = stacks.WithTerminationQueue(kind);
        var termination = QueueId(stack, RunsFleetQueues.TerminationQueueNameFor(kind));
        var housekeeping = QueueId(stack, RunsFleetQueues.HousekeepingQueueName);
        var statements = stack.TaskRoleStatements("sqs-bridge");

        Assert.Equal($"{{\"Ref\":\"{termination}\"}}", stack.EnvironmentOf("sqs-bridge")["RUNS_FLEET_TERMINATION_QUEUE_URL"]);
        var sqsActions = statements.SelectMany(SynthesizedStack.Actions).Where(a => a.StartsWith("sqs:", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, sqsActions.Count);
        foreach (var action in sqsActions)
        {
            var statement = Assert.Single(statements, s => SynthesizedStack.Actions(s).Contains(action));
            Assert.Equal(["${" + termination + ".Arn}", "${" + housekeeping + ".Arn}"], SynthesizedStack.ResourcesOf(statement));
        }
    }

    [Theory]
    [InlineData(TerminationQueueKind.Fifo, "fifo")]
    [InlineData(TerminationQueueKind.Standard, "standard")]
    public void Stack_outputs_name_the_termination_queue_of_the_kind_its_dlq_and_the_kind(TerminationQueueKind kind, string value)
    {
        var stack = stacks.WithTerminationQueue(kind);
        var outputs = stack.Json.GetProperty("Outputs");

        Assert.Equal(QueueId(stack, RunsFleetQueues.TerminationQueueNameFor(kind)), outputs.GetProperty("TerminationQueueUrl").GetProperty("Value").GetProperty("Ref").GetString());
        Assert.Equal(QueueId(stack, RunsFleetQueues.TerminationDlqNameFor(kind)), outputs.GetProperty("TerminationDeadLetterQueueUrl").GetProperty("Value").GetProperty("Ref").GetString());
        Assert.Equal(QueueId(stack, RunsFleetQueues.HousekeepingQueueName), outputs.GetProperty("HousekeepingQueueUrl").GetProperty("Value").GetProperty("Ref").GetString());
        Assert.Equal(value, outputs.GetProperty("TerminationQueueKind").GetProperty("Value").GetString());
    }

    [Theory]
    [InlineData("fifo", TerminationQueueKind.Fifo)]
    [InlineData("standard", TerminationQueueKind.Standard)]
    [InlineData(" Standard ", TerminationQueueKind.Standard)]
    [InlineData("FIFO", TerminationQueueKind.Fifo)]
    [InlineData("", TerminationQueueKind.Fifo)]
    public void Settings_read_the_kind_from_context_ignoring_case_and_blanks(string value, TerminationQueueKind expected)
    {
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps
        {
            Context = new Dictionary<string, object>
            {
                [RunsFleetSettings.Keys.TemporalAddress] = "t:7233",
                [RunsFleetSettings.Keys.TerminationQueueKind] = value,
            },
        });

        Assert.Equal(expected, RunsFleetSettings.FromContext(app.Node).TerminationQueueKind);
    }

    [Theory]
    [InlineData("sqs")]
    [InlineData("fifo-queue")]
    [InlineData("standard.fifo")]
    [InlineData("true")]
    public void An_invalid_kind_stops_synthesis_naming_the_key_the_value_and_the_allowed_values(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SynthesizedStack.Synthesize(new Dictionary<string, object>
        {
            [RunsFleetSettings.Keys.TerminationQueueKind] = value,
        }));

        Assert.Contains("runsFleet:terminationQueueKind", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("fifo | standard", error.Message, StringComparison.Ordinal);
    }

    private static bool DeniesInsecureTransport(JsonElement statement) =>
        statement.GetProperty("Effect").GetString() == "Deny"
        && statement.TryGetProperty("Condition", out var condition)
        && condition.GetProperty("Bool").GetProperty("aws:SecureTransport").GetString() == "false";

    private static JsonElement Properties(SynthesizedStack stack, string queueName) =>
        stack.Resources("AWS::SQS::Queue").Single(q => q.Properties.GetProperty("QueueName").GetString() == queueName).Properties;

    private static string QueueId(SynthesizedStack stack, string queueName) =>
        stack.Resources("AWS::SQS::Queue").Single(q => q.Properties.GetProperty("QueueName").GetString() == queueName).Id;
}
