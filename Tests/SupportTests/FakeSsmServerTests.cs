using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

public sealed class FakeSsmServerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 12, 30, 15, TimeSpan.Zero);
    private readonly FakeSsmServer _ssm = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ssm.DisposeAsync();

    [Fact]
    public async Task Put_then_get_round_trips_value_type_and_version()
    {
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        await client.PutParameterAsync(new PutParameterRequest { Name = "/rf/i-1/token", Value = "secret", Type = ParameterType.SecureString });
        var overwrite = await client.PutParameterAsync(new PutParameterRequest { Name = "/rf/i-1/token", Value = "secret2", Type = ParameterType.SecureString, Overwrite = true });
        var got = (await client.GetParameterAsync(new GetParameterRequest { Name = "/rf/i-1/token", WithDecryption = true })).Parameter;

        Assert.Equal(2, overwrite.Version);
        Assert.Equal("secret2", got.Value);
        Assert.Equal(ParameterType.SecureString, got.Type);
        Assert.Equal(1, _ssm.Count("GetParameter"));
    }

    [Fact]
    public async Task Put_without_overwrite_and_get_of_missing_surface_the_modeled_exceptions()
    {
        _ssm.Put("/rf/existing", "v");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        await Assert.ThrowsAsync<ParameterAlreadyExistsException>(() =>
            client.PutParameterAsync(new PutParameterRequest { Name = "/rf/existing", Value = "x", Type = ParameterType.String }));
        var missing = await Assert.ThrowsAsync<ParameterNotFoundException>(() =>
            client.GetParameterAsync(new GetParameterRequest { Name = "/rf/missing" }));

        Assert.Equal("ParameterNotFound", missing.ErrorCode);
        Assert.Equal("v", _ssm.Find("/rf/existing")!.Value);
    }

    [Fact]
    public async Task DeleteParameters_reports_unknown_names_as_invalid()
    {
        _ssm.Put("/rf/a", "1");
        _ssm.Put("/rf/b", "2");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        var response = await client.DeleteParametersAsync(new DeleteParametersRequest { Names = ["/rf/a", "/rf/nope", "/rf/b"] });

        Assert.Equal(["/rf/a", "/rf/b"], response.DeletedParameters);
        Assert.Equal(["/rf/nope"], response.InvalidParameters);
        Assert.Empty(_ssm.Names);
    }

    [Fact]
    public async Task DeleteParameters_with_more_than_ten_names_is_a_validation_error()
    {
        using var client = AwsClients.Ssm(_ssm.ServiceUrl, maxErrorRetry: 0);
        var names = Enumerable.Range(1, 11).Select(i => $"/rf/{i}").ToList();

        var error = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            client.DeleteParametersAsync(new DeleteParametersRequest { Names = names }));

        Assert.Equal("ValidationException", error.ErrorCode);
        Assert.Contains("less than or equal to 10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, new[] { "/rf/runners/i-1/a", "/rf/runners/i-1/deep/b", "/rf/runners/i-2/a" })]
    [InlineData(false, new string[0])]
    public async Task DescribeParameters_path_filter_honours_recursive_and_one_level(bool recursive, string[] expected)
    {
        _ssm.Put("/rf/runners/i-1/a", "x", Jan1);
        _ssm.Put("/rf/runners/i-1/deep/b", "x", Jan1);
        _ssm.Put("/rf/runners/i-2/a", "x", Jan1);
        _ssm.Put("/rf/other/c", "x", Jan1);
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        var response = await client.DescribeParametersAsync(new DescribeParametersRequest
        {
            ParameterFilters = [new ParameterStringFilter { Key = "Path", Option = recursive ? "Recursive" : "OneLevel", Values = ["/rf/runners"] }],
            MaxResults = 50,
        });

        Assert.Equal(expected, (response.Parameters ?? []).Select(p => p.Name).ToArray());
    }

    [Fact]
    public async Task DescribeParameters_returns_last_modified_dates_and_pages_with_next_token()
    {
        for (var i = 0; i < 23; i++)
        {
            _ssm.Put($"/rf/p/{i:D2}", "x", Jan1.AddMinutes(i));
        }

        _ssm.PageSizeCap = 7;
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        var seen = new List<ParameterMetadata>();
        string? token = null;
        var pages = 0;
        do
        {
            var response = await client.DescribeParametersAsync(new DescribeParametersRequest
            {
                ParameterFilters = [new ParameterStringFilter { Key = "Path", Option = "Recursive", Values = ["/rf"] }],
                MaxResults = 50,
                NextToken = token,
            });
            seen.AddRange(response.Parameters ?? []);
            token = response.NextToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(4, pages);
        Assert.Equal(23, seen.Count);
        Assert.Equal(Jan1.AddMinutes(5).UtcDateTime, seen[5].LastModifiedDate!.Value.ToUniversalTime());
        Assert.Equal(ParameterType.String, seen[0].Type);
    }

    [Fact]
    public async Task DescribeParameters_rejects_max_results_over_fifty()
    {
        using var client = AwsClients.Ssm(_ssm.ServiceUrl, maxErrorRetry: 0);

        var error = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            client.DescribeParametersAsync(new DescribeParametersRequest { MaxResults = OverLimit(50) }));

        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public async Task Paging_is_stable_while_the_caller_deletes_what_it_has_seen()
    {
        for (var i = 0; i < 25; i++)
        {
            _ssm.Put($"/rf/s/{i:D2}", "x", Jan1);
        }

        using var client = AwsClients.Ssm(_ssm.ServiceUrl);
        var deleted = 0;
        string? token = null;
        do
        {
            var page = await client.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/rf/s", MaxResults = 10, NextToken = token });
            var names = page.Parameters.Select(p => p.Name).ToList();
            deleted += (await client.DeleteParametersAsync(new DeleteParametersRequest { Names = names })).DeletedParameters.Count;
            token = page.NextToken;
        }
        while (token is not null);

        Assert.Equal(25, deleted);
        Assert.Empty(_ssm.Names);
        Assert.Equal(3, _ssm.Count("GetParametersByPath"));
    }

    [Fact]
    public async Task GetParametersByPath_returns_values_one_level_or_recursively_and_limits_max_results()
    {
        _ssm.Put("/rf/cfg/a", "1");
        _ssm.Put("/rf/cfg/sub/b", "2");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl, maxErrorRetry: 0);

        var oneLevel = await client.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/rf/cfg" });
        var recursive = await client.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/rf/cfg/", Recursive = true });
        var tooMany = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            client.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/rf", MaxResults = OverLimit(10) }));

        Assert.Equal("1", Assert.Single(oneLevel.Parameters).Value);
        Assert.Equal(["/rf/cfg/a", "/rf/cfg/sub/b"], recursive.Parameters.Select(p => p.Name).ToArray());
        Assert.Equal("ValidationException", tooMany.ErrorCode);
    }

    [Fact]
    public async Task Injected_throttling_surfaces_as_ThrottlingException_and_is_logged()
    {
        _ssm.Put("/rf/a", "1");
        _ssm.FailNext("DeleteParameters", "ThrottlingException", times: 1, message: "Rate exceeded");
        using var client = AwsClients.Ssm(_ssm.ServiceUrl, maxErrorRetry: 0);

        var error = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(() =>
            client.DeleteParametersAsync(new DeleteParametersRequest { Names = ["/rf/a"] }));
        var retry = await client.DeleteParametersAsync(new DeleteParametersRequest { Names = ["/rf/a"] });

        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(["/rf/a"], retry.DeletedParameters);
        Assert.Equal(2, _ssm.Count("DeleteParameters"));
        Assert.Equal("/rf/a", _ssm.RequestsFor("DeleteParameters")[0].Json.GetProperty("Names")[0].GetString());
    }

    [Fact]
    public async Task Sdk_retries_injected_throttling_by_itself_when_retries_are_enabled()
    {
        _ssm.Put("/rf/a", "1");
        _ssm.FailNext("GetParameter", "ThrottlingException", times: 1);
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        var got = await client.GetParameterAsync(new GetParameterRequest { Name = "/rf/a" });

        Assert.Equal("1", got.Parameter.Value);
        Assert.Equal(2, _ssm.Count("GetParameter"));
    }

    [Fact]
    public async Task Tests_can_replace_an_operation_handler()
    {
        _ssm.Handle("GetParameter", request =>
            FakeResponse.Json(new { Parameter = new { Name = request.Json.GetProperty("Name").GetString(), Type = "String", Value = "overridden" } }));
        using var client = AwsClients.Ssm(_ssm.ServiceUrl);

        var got = await client.GetParameterAsync(new GetParameterRequest { Name = "/any" });

        Assert.Equal("overridden", got.Parameter.Value);
    }

    // Not a literal: the SDK's analyzer rejects out-of-range constants at compile time.
    private static int OverLimit(int limit) => limit + 1;
}
