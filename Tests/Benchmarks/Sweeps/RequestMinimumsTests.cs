extern alias benchmarks;

using benchmarks::RunsFleet.Benchmarks.Sweeps;

namespace RunsFleet.Tests.Benchmarks.Sweeps;

public sealed class RequestMinimumsTests
{
    private static Dictionary<string, long> Counts(params (string Operation, long Count)[] counts) =>
        counts.ToDictionary(c => c.Operation, c => c.Count, StringComparer.Ordinal);

    [Fact]
    public void Requests_equal_to_the_minimum_differ_nowhere()
    {
        var minimum = Counts((RequestMinimums.Query, 4), (RequestMinimums.PutObject, 2));

        var requests = Counts((RequestMinimums.PutObject, 2), (RequestMinimums.Query, 4));

        Assert.Empty(RequestMinimums.Differences(minimum, requests));
    }

    [Fact]
    public void Each_difference_names_the_operation_the_requests_and_the_minimum()
    {
        var minimum = Counts((RequestMinimums.Query, 4), (RequestMinimums.PutObject, 2), (RequestMinimums.Scan, 1));
        var requests = Counts((RequestMinimums.Query, 5), (RequestMinimums.PutObject, 1), (RequestMinimums.Scan, 1));

        Assert.Equal(
            ["DynamoDB Query: 5 requests, minimum 4", "S3 PutObject: 1 requests, minimum 2"],
            RequestMinimums.Differences(minimum, requests));
    }

    [Fact]
    public void An_operation_the_minimum_does_not_name_has_a_minimum_of_zero()
    {
        var requests = Counts((RequestMinimums.Query, 1), ("DynamoDB GetItem", 3));

        Assert.Equal(
            ["DynamoDB GetItem: 3 requests, minimum 0"],
            RequestMinimums.Differences(Counts((RequestMinimums.Query, 1)), requests));
    }

    [Fact]
    public void Pool_audit_writes_its_two_report_objects()
    {
        // The JSON rows and the markdown: one PutObject each.
        var minimum = RequestMinimums.PoolAudit(10, 100, 0, 0, 0, new Dictionary<string, long>(StringComparer.Ordinal));

        Assert.Equal(2, minimum[RequestMinimums.PutObject]);
    }
}
