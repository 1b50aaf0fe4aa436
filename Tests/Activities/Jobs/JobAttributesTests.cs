using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;

namespace RunsFleet.Tests.Activities.Jobs;

public sealed class JobAttributesTests
{
    [Fact]
    public void Names_maps_every_placeholder_of_every_expression_once()
    {
        var names = JobAttributes.Names("#status = :status AND #created_at < :before", null, "#job_id, #status");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["#status"] = "status",
                ["#created_at"] = "created_at",
                ["#job_id"] = "job_id",
            },
            names);
    }

    [Fact]
    public void Names_of_expressions_without_placeholders_is_empty() =>
        Assert.Empty(JobAttributes.Names("attribute_exists(pk)", null));

    [Theory]
    [InlineData("42", null, 42L)]
    [InlineData(null, "42", 42L)]
    [InlineData("4.5", null, null)]
    [InlineData(null, "x", null)]
    public void Number_reads_N_or_S_and_refuses_what_is_not_a_whole_number(string? n, string? s, long? expected)
    {
        var item = new Dictionary<string, AttributeValue> { ["retry_count"] = new() { N = n, S = s } };

        Assert.Equal(expected, JobAttributes.Number(item, "retry_count"));
        Assert.Null(JobAttributes.Number(item, "absent"));
    }

    [Fact]
    public void Text_is_null_when_absent_or_empty()
    {
        var item = new Dictionary<string, AttributeValue> { ["pool"] = new() { S = "" }, ["repo"] = new() { S = "r" } };

        Assert.Null(JobAttributes.Text(item, "pool"));
        Assert.Null(JobAttributes.Text(item, "absent"));
        Assert.Equal("r", JobAttributes.Text(item, "repo"));
    }
}
