using System.Text;
using RunsFleet.Activities.Requeue;

namespace RunsFleet.Tests.Activities.Requeue;

/// <summary>The launch message byte for byte as runs-fleet's Go code marshals it (pkg/queue/interface.go:53).</summary>
public sealed class RequeueMessageTests
{
    [Fact]
    public void Requeue_of_a_record_is_on_demand_with_the_next_retry_count()
    {
        var job = new RequeueCandidate(7, 8, "acme/app", "c7g.xlarge", "default", 1, "running", "label");

        var expected = new RequeueMessage(7, 8, "acme/app", "c7g.xlarge", "default", 2, "label");
        Assert.Equal(expected, RequeueMessage.For(job));
        Assert.Equal(
            """{"job_id":7,"run_id":8,"repo":"acme/app","instance_type":"c7g.xlarge","pool":"default","spot":false,"""
                + """ "original_label":"label","retry_count":2,"force_on_demand":true}""".TrimStart(),
            RequeueMessage.For(job).ToJson());
    }

    [Fact]
    public void Empty_omitempty_fields_are_left_out_and_instance_type_and_run_id_never()
    {
        Assert.Equal(
            """{"job_id":1,"run_id":0,"instance_type":"","spot":false,"retry_count":1,"force_on_demand":true}""",
            new RequeueMessage(1, 0, string.Empty, string.Empty, string.Empty, 1, string.Empty).ToJson());
    }

    [Theory]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("x<y>&z", "\"x\\u003cy\\u003e\\u0026z\"")]
    [InlineData("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\u0001\u001f\u007f", "\"\\u0001\\u001f\u007f\"")]
    [InlineData("\u2028\u2029", "\"\\u2028\\u2029\"")]
    [InlineData("größe/🚀", "\"größe/🚀\"")]
    [InlineData("'+/", "\"'+/\"")]
    public void Strings_are_escaped_as_gos_encoding_json_does(string value, string expected)
    {
        var json = new StringBuilder();

        GoJson.AppendString(json, value);

        Assert.Equal(expected, json.ToString());
    }

    [Theory]
    [InlineData(59112233445, 1, "12d4f927a35a79d5eaa00e17b341a18a10b8a8d3aeab7853f869c95f36c307dc")]
    [InlineData(59112233445, 2, "7698f224f61633f151aa22c95ab0741ea28fd1cb5a15ac8dd404f6a23a3f5642")]
    public void Fifo_ids_are_the_job_id_and_the_sha256_of_job_and_retry(long jobId, int retry, string dedup)
    {
        var message = new RequeueMessage(jobId, 1, "r", "t", "p", retry, "l");

        var group = jobId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal((group, dedup), (message.MessageGroupId, message.DeduplicationId));
    }
}
