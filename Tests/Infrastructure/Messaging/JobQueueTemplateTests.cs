using RunsFleet.Infrastructure;

namespace RunsFleet.Tests.Infrastructure.Messaging;

/// <summary>
/// runsFleet:jobQueueUrl: a failed bootstrap's job is requeued to runs-fleet's job queue, so a stack given the
/// queue lets the worker send to exactly that queue and tells it the URL (RUNS_FLEET_QUEUE_URL); a stack without
/// it grants and sets neither; a value that is not an SQS queue URL stops synthesis.
/// </summary>
[Collection(SynthesizedStacksCollection.Name)]
public class JobQueueTemplateTests(SynthesizedStacksFixture stacks)
{
    private const string Variable = "RUNS_FLEET_QUEUE_URL";

    [Fact]
    public void With_the_job_queue_the_worker_may_send_to_it_and_nothing_else()
    {
        var send = Assert.Single(stacks.WithCreatedJobsTable.TaskRoleStatements("worker"), Sends);

        Assert.Equal(["sqs:SendMessage"], SynthesizedStack.Actions(send));
        Assert.Equal(
            ["arn:${AWS::Partition}:sqs:eu-west-1:123456789012:runs-fleet-main.fifo"],
            SynthesizedStack.ResourcesOf(send));
        Assert.False(send.TryGetProperty("Condition", out _));
        Assert.DoesNotContain(stacks.WithCreatedJobsTable.TaskRoleStatements("sqs-bridge"), Sends);
    }

    [Fact]
    public void With_the_job_queue_the_worker_container_gets_its_url_and_the_bridge_does_not()
    {
        var worker = stacks.WithCreatedJobsTable.EnvironmentOf("worker");

        Assert.Equal(SynthesizedStacksFixture.JobQueueUrl, worker[Variable]);
        Assert.DoesNotContain(Variable, stacks.WithCreatedJobsTable.EnvironmentOf("sqs-bridge").Keys);
    }

    [Fact]
    public void Without_the_job_queue_there_is_neither_the_grant_nor_the_variable()
    {
        Assert.DoesNotContain(stacks.Default.TaskRoleStatements("worker"), Sends);
        Assert.DoesNotContain(Variable, stacks.Default.EnvironmentOf("worker").Keys);
    }

    [Theory]
    [InlineData("runs-fleet-main.fifo")]
    [InlineData("arn:aws:sqs:eu-west-1:123456789012:runs-fleet-main.fifo")]
    [InlineData("http://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-main")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/12345678901/runs-fleet-main")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/runs fleet")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-main/")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-main\n")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/a.b")]
    public void A_job_queue_that_is_not_an_sqs_queue_url_fails_synthesis_naming_the_key(string value)
    {
        var context = new Dictionary<string, object> { [RunsFleetSettings.Keys.JobQueueUrl] = value };

        var error = Assert.Throws<InvalidOperationException>(() => SynthesizedStack.Synthesize(context));

        Assert.Contains($"'{RunsFleetSettings.Keys.JobQueueUrl}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(
        "https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-main.fifo", "eu-west-1", "runs-fleet-main.fifo")]
    [InlineData(
        "https://sqs.us-gov-west-1.amazonaws.com/123456789012/runs_fleet-main", "us-gov-west-1", "runs_fleet-main")]
    [InlineData(
        "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/runs-fleet-main", "cn-north-1", "runs-fleet-main")]
    public void The_grant_is_on_the_queue_the_url_names(string url, string region, string name)
    {
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps
        {
            Context = new Dictionary<string, object>
            {
                [RunsFleetSettings.Keys.TemporalAddress] = "t:7233",
                [RunsFleetSettings.Keys.JobQueueUrl] = url,
            },
        });

        var queue = RunsFleetSettings.FromContext(app.Node).JobQueue;

        Assert.Equal((name, url, region, "123456789012"), (queue?.Name, queue?.Url, queue?.Region, queue?.Account));
    }

    private static bool Sends(System.Text.Json.JsonElement statement) =>
        SynthesizedStack.Actions(statement).Contains("sqs:SendMessage");
}
