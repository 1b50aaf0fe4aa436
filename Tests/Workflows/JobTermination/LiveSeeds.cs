using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;
using RunsFleet.Tests.SqsBridge.Contracts;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>Wire messages and seed data of the live tests (and of their offline rehearsal).</summary>
public static class LiveSeeds
{
    /// <summary>Prefix the runner parameters live under (the activities' default).</summary>
    public const string ParameterPrefix = "/runs-fleet/runners/";

    /// <summary>Pool of the seeded job.</summary>
    public const string Pool = "linux-x64";

    /// <summary>A fresh, valid EC2 instance id (17 hex digits).</summary>
    public static string NewInstanceId() => "i-" + Guid.NewGuid().ToString("N")[..17];

    /// <summary>
    /// The committed success sample as an agent sends it, with a job id and instance id of this
    /// test: on a shared server an earlier run's completed workflow must not answer for this one.
    /// </summary>
    public static string SuccessSample(long jobId, string instanceId)
    {
        var message = JsonNode.Parse(SampleMessages.Read("termination", "success.json"))!.AsObject();
        message["job_id"] = jobId.ToString(CultureInfo.InvariantCulture);
        message["instance_id"] = instanceId;
        return message.ToJsonString();
    }

    /// <summary>A job id no earlier run used.</summary>
    public static long NewJobId() => Random.Shared.NextInt64(1_000_000_000, 1_000_000_000_000);

    /// <summary>
    /// Runner parameters for the stale SSM sweep: three stale (an instance EC2 does not know,
    /// with config and credential; a terminated one), and three kept (a running instance's, a
    /// 5-minute-old one inside a 30-minute grace, one without an instance id).
    /// </summary>
    public static (IReadOnlyList<string> Stale, IReadOnlyList<string> Kept) SeedRunnerParameters(FakeSsmServer ssm, FakeEc2Server ec2)
    {
        var old = DateTimeOffset.UtcNow.AddHours(-2);
        var unknown = NewInstanceId();
        var terminated = ec2.AddInstance(state: Ec2States.Terminated).InstanceId;
        var running = ec2.AddInstance(state: Ec2States.Running).InstanceId;
        var launching = NewInstanceId();
        string[] stale = [$"{ParameterPrefix}{unknown}/config", $"{ParameterPrefix}{unknown}/credential", $"{ParameterPrefix}{terminated}/config"];
        string[] kept = [$"{ParameterPrefix}{running}/config", $"{ParameterPrefix}{launching}/config", $"{ParameterPrefix}shared/settings"];
        ssm.Put(stale[0], """{"labels":"linux-x64"}""", old);
        ssm.Put(stale[1], "registration-token", old, "SecureString");
        ssm.Put(stale[2], """{"labels":"linux-x64"}""", old);
        ssm.Put(kept[0], """{"labels":"linux-x64"}""", old);
        ssm.Put(kept[1], """{"labels":"linux-x64"}""", DateTimeOffset.UtcNow.AddMinutes(-5));
        ssm.Put(kept[2], "not a runner's", old);
        return (stale, kept);
    }

    /// <summary>A running job of <see cref="Pool"/> owned by <paramref name="instanceId"/>, without timings yet.</summary>
    public static Task SeedRunningJobAsync(IAmazonDynamoDB db, string table, long jobId, string instanceId) =>
        db.PutItemAsync(table, new Dictionary<string, AttributeValue>
        {
            [JobRecord.JobId] = new() { N = jobId.ToString(CultureInfo.InvariantCulture) },
            [JobRecord.InstanceId] = new() { S = instanceId },
            [JobRecord.Pool] = new() { S = Pool },
            [JobRecord.Status] = new() { S = "running" },
            ["created_at"] = new() { S = JobRecord.FormatTimestamp(DateTimeOffset.UtcNow) },
        });

    /// <summary>The job record, read consistently.</summary>
    public static async Task<Dictionary<string, AttributeValue>> ReadJobAsync(IAmazonDynamoDB db, string table, long jobId) =>
        (await db.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { [JobRecord.JobId] = new AttributeValue { N = jobId.ToString(CultureInfo.InvariantCulture) } },
            ConsistentRead = true,
        })).Item;

    /// <summary>The instance's config and credential, plus another instance's config that must survive.</summary>
    public static void SeedInstanceParameters(FakeSsmServer ssm, string instanceId, string otherInstanceId)
    {
        ssm.Put($"{ParameterPrefix}{instanceId}/config", """{"labels":"linux-x64"}""");
        ssm.Put($"{ParameterPrefix}{instanceId}/credential", "registration-token", type: "SecureString");
        ssm.Put($"{ParameterPrefix}{otherInstanceId}/config", """{"labels":"linux-x64"}""");
    }
}
