using System.Net;
using System.Text.Json;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Activities.Jobs;

/// <summary>
/// A loopback DynamoDB (JSON 1.0) with no data of its own, for the failures dynalite cannot
/// produce (throttling, a record that changes between the update and the read-back): tests
/// script each operation with FailNext / Handle.
/// </summary>
internal sealed class FakeDynamoServer : LoopbackAwsServer
{
    private const string TargetPrefix = "DynamoDB_20120810.";

    protected override bool UsesFormBody => false;

    /// <summary>A GetItem answer holding <paramref name="item"/> (attribute name to S value; job_id as N).</summary>
    public static FakeResponse Item(long jobId, IReadOnlyDictionary<string, string> item)
    {
        var attributes = item.ToDictionary(a => a.Key, a => (object)new Dictionary<string, string> { ["S"] = a.Value });
        attributes["job_id"] = new Dictionary<string, string> { ["N"] = jobId.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return Json(new Dictionary<string, object> { ["Item"] = attributes });
    }

    protected override string? OperationOf(HttpListenerRequest request, IReadOnlyDictionary<string, string> form)
    {
        var target = request.Headers["X-Amz-Target"];
        return target is not null && target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
    }

    protected override FakeResponse Error(string code, string message, int? statusCode, string requestId) =>
        new(
            statusCode ?? (code is "InternalServerError" ? 500 : 400),
            "application/x-amz-json-1.0",
            JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = "com.amazonaws.dynamodb.v20120810#" + code, ["message"] = message }));

    private static FakeResponse Json(object value) =>
        new(200, "application/x-amz-json-1.0", JsonSerializer.Serialize(value));
}
