using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Sweeps.JobArchive;

namespace RunsFleet.Tests.Activities.Sweeps.JobArchive;

public class JobRecordJsonTests
{
    [Fact]
    public void Renders_a_record_as_one_plain_json_line_in_attribute_order()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["status"] = new() { S = "completed" },
            ["job_id"] = new() { N = "12345678901234567890" },
            ["exit_code"] = new() { N = "0" },
            ["duration_seconds"] = new() { N = "12.5" },
            ["spot"] = new() { BOOL = true },
            ["error"] = new() { NULL = true },
        };

        var line = JobRecordJson.ToJsonLine(item);

        Assert.Equal(
            """{"duration_seconds":12.5,"error":null,"exit_code":0,"job_id":12345678901234567890,"spot":true,"status":"completed"}""",
            line);
    }

    [Fact]
    public void Renders_nested_maps_lists_and_sets()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["labels"] = new() { SS = ["linux", "x64"] },
            ["ports"] = new() { NS = ["22", "443"] },
            ["meta"] = new() { M = new() { ["pool"] = new() { S = "default" }, ["size"] = new() { N = "3" } } },
            ["steps"] = new() { L = [new() { S = "checkout" }, new() { N = "2" }] },
            ["blob"] = new() { B = new MemoryStream([1, 2, 3]) },
        };

        using var json = JsonDocument.Parse(JobRecordJson.ToJsonLine(item));
        var root = json.RootElement;

        Assert.Equal(["linux", "x64"], root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([22, 443], root.GetProperty("ports").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("default", root.GetProperty("meta").GetProperty("pool").GetString());
        Assert.Equal(3, root.GetProperty("meta").GetProperty("size").GetInt32());
        Assert.Equal("checkout", root.GetProperty("steps")[0].GetString());
        Assert.Equal(2, root.GetProperty("steps")[1].GetInt32());
        Assert.Equal("AQID", root.GetProperty("blob").GetString());
    }

    [Fact]
    public void Json_lines_document_has_one_line_per_record()
    {
        var items = Enumerable.Range(1, 3)
            .Select(i => (IReadOnlyDictionary<string, AttributeValue>)new Dictionary<string, AttributeValue> { ["job_id"] = new() { N = i.ToString() } })
            .ToList();

        var text = JobRecordJson.ToJsonLines(items);

        Assert.Equal("{\"job_id\":1}\n{\"job_id\":2}\n{\"job_id\":3}\n", text);
    }
}
