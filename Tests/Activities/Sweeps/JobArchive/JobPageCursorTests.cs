using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Sweeps.JobArchive;
using Temporalio.Converters;

namespace RunsFleet.Tests.Activities.Sweeps.JobArchive;

public class JobPageCursorTests
{
    [Fact]
    public void Round_trips_a_last_evaluated_key()
    {
        var key = new Dictionary<string, AttributeValue>
        {
            ["job_id"] = new() { N = "42" },
            ["status"] = new() { S = "failed" },
            ["completed_at"] = new() { S = "2026-11-01T00:00:00Z" },
        };

        var cursor = JobPageCursor.FromLastEvaluatedKey(key);

        Assert.Equal(new JobPageCursor("42", "failed", "2026-11-01T00:00:00Z"), cursor);
        var back = cursor!.ToExclusiveStartKey();
        Assert.Equal("42", back["job_id"].N);
        Assert.Equal("failed", back["status"].S);
        Assert.Equal("2026-11-01T00:00:00Z", back["completed_at"].S);
    }

    [Fact]
    public void No_key_means_the_query_is_complete()
    {
        Assert.Null(JobPageCursor.FromLastEvaluatedKey(null));
        Assert.Null(JobPageCursor.FromLastEvaluatedKey(new Dictionary<string, AttributeValue>()));
    }

    [Fact]
    public void A_key_of_another_shape_is_an_error_not_a_silent_restart()
    {
        var key = new Dictionary<string, AttributeValue> { ["id"] = new() { S = "x" } };

        Assert.Throws<InvalidOperationException>(() => JobPageCursor.FromLastEvaluatedKey(key));
    }

    [Fact]
    public void Survives_the_temporal_payload_converter()
    {
        var cursor = new JobPageCursor("7", "timeout", "2026-10-10T10:10:10Z");
        var converter = DataConverter.Default.PayloadConverter;

        var back = converter.ToValue<JobPageCursor>(converter.ToPayload(cursor));

        Assert.Equal(cursor, back);
    }
}
