using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Tests.Support;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Activities.Sweeps.StaleSsm;

/// <summary>The page activity against the loopback SSM and EC2 fakes, through the real v4 clients.</summary>
public sealed class StaleSsmSweepActivitiesTests : SsmAndEc2FakesTestBase
{
    private const string Prefix = "/runs-fleet/runners/";

    private readonly LogCapture _logs = new();

    public override async Task DisposeAsync()
    {
        _logs.Dispose();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Deletes_parameters_of_gone_instances_and_keeps_everything_else()
    {
        var old = Now.AddHours(-2);
        _ec2Server.AddInstance(Id(1), Ec2States.Running);
        _ec2Server.AddInstance(Id(2), Ec2States.Terminated);
        _ec2Server.AddInstance(Id(3), Ec2States.ShuttingDown);
        _ec2Server.AddInstance(Id(4), Ec2States.Stopped);
        Seed(Param(1, "config"), old);
        Seed(Param(1, "token"), old);
        Seed(Param(2, "config"), old);
        Seed(Param(3, "config"), old);
        Seed(Param(4, "config"), old);
        Seed(Param(5, "config"), old);                    // unknown to EC2
        Seed(Param(6, "config"), Now.AddMinutes(-9));     // unknown, but inside the grace period
        Seed(Param(7, "config"), Now.AddMinutes(-10));    // unknown, exactly at the grace boundary
        Seed(Prefix + "shared/registration", old);        // no instance id
        Seed("/runs-fleet/other/" + Id(5) + "/config", old); // outside the prefix: never listed

        var result = await RunPageAsync(new() { ParameterPrefix = Prefix, PageSize = 50, Now = Now, GraceMinutes = 10 });

        Assert.Null(result.NextToken);
        Assert.Equal(9, result.Listed);
        Assert.Equal([Param(2, "config"), Param(3, "config"), Param(5, "config"), Param(7, "config")], result.StaleNames.Order());
        Assert.Equal(4, result.Deleted);
        Assert.Equal(0, result.AlreadyGone);
        Assert.Equal(1, result.KeptYoung);
        Assert.Equal(3, result.KeptInstanceAlive);
        Assert.Equal([Prefix + "shared/registration"], result.UnparseableNames);
        Assert.Equal(
            new[] { Param(1, "config"), Param(1, "token"), Param(4, "config"), Param(6, "config"), Prefix + "shared/registration", "/runs-fleet/other/" + Id(5) + "/config" }.Order(StringComparer.Ordinal),
            _ssmServer.Names);
        Assert.Equal(4, _metrics.Named(StaleSsmSweepActivities.DeletedMetric).Sum(m => m.Value));
        Assert.All(_metrics.All, m => Assert.Equal("Count", m.Unit));
        var warning = _logs.Single(LogLevel.Warning, "no instance id");
        Assert.Equal(Prefix + "shared/registration", warning.GetStructuredStateValue("ParameterName"));
    }

    [Fact]
    public async Task Lists_with_describe_parameters_path_filter_and_checks_instances_with_an_id_filter()
    {
        Seed(Param(1, "config"), Now.AddHours(-1));
        Seed(Param(2, "config"), Now.AddHours(-1));

        await RunPageAsync(new() { ParameterPrefix = Prefix, PageSize = 50, Now = Now, GraceMinutes = 10 });

        var describe = Assert.Single(_ssmServer.RequestsFor("DescribeParameters")).Json;
        Assert.Equal(50, describe.GetProperty("MaxResults").GetInt32());
        var filter = Assert.Single(describe.GetProperty("ParameterFilters").EnumerateArray());
        Assert.Equal("Path", filter.GetProperty("Key").GetString());
        Assert.Equal("Recursive", filter.GetProperty("Option").GetString());
        Assert.Equal("/runs-fleet/runners", Assert.Single(filter.GetProperty("Values").EnumerateArray()).GetString());
        Assert.Equal(0, _ssmServer.Count("GetParametersByPath"));

        var lookup = Assert.Single(_ec2Server.RequestsFor("DescribeInstances"));
        Assert.Empty(lookup.FormList("InstanceId"));
        Assert.Equal("instance-id", lookup.Form["Filter.1.Name"]);
        Assert.Equal([Id(1), Id(2)], lookup.FormList("Filter.1.Value").Order());
    }

    [Fact]
    public async Task Dry_run_reports_what_it_would_delete_and_deletes_nothing()
    {
        Seed(Param(1, "config"), Now.AddHours(-1));
        Seed(Param(2, "config"), Now.AddHours(-1));
        _ec2Server.AddInstance(Id(2), Ec2States.Running);

        var result = await RunPageAsync(new() { ParameterPrefix = Prefix, PageSize = 50, Now = Now, GraceMinutes = 10, DryRun = true });

        Assert.Equal([Param(1, "config")], result.StaleNames);
        Assert.Equal(0, result.Deleted);
        Assert.Equal(2, _ssmServer.Names.Count);
        Assert.Equal(0, _ssmServer.Count("DeleteParameters"));
        Assert.Empty(_metrics.All);
    }

    [Fact]
    public async Task Names_already_deleted_by_someone_else_are_fine()
    {
        Seed(Param(1, "config"), Now.AddHours(-1));
        Seed(Param(2, "config"), Now.AddHours(-1));
        _ssmServer.Handle("DescribeParameters", _ => FakeResponse.Json(new
        {
            Parameters = new[]
            {
                new { Name = Param(1, "config"), LastModifiedDate = Now.AddHours(-1).ToUnixTimeSeconds() },
                new { Name = Param(2, "config"), LastModifiedDate = Now.AddHours(-1).ToUnixTimeSeconds() },
                new { Name = Param(3, "config"), LastModifiedDate = Now.AddHours(-1).ToUnixTimeSeconds() }, // listed, then deleted elsewhere
            },
        }));

        var result = await RunPageAsync(new() { ParameterPrefix = Prefix, PageSize = 50, Now = Now, GraceMinutes = 10 });

        Assert.Equal(3, result.StaleNames.Count);
        Assert.Equal(2, result.Deleted);
        Assert.Equal(1, result.AlreadyGone);
        Assert.Empty(_ssmServer.Names);
        Assert.Equal(2, _metrics.Named(StaleSsmSweepActivities.DeletedMetric).Sum(m => m.Value));
    }

    [Fact]
    public async Task Follows_next_token_through_short_pages()
    {
        for (var i = 1; i <= 23; i++)
        {
            Seed(Param(i, "config"), Now.AddHours(-1));
        }

        _ssmServer.PageSizeCap = 7; // AWS may return fewer than MaxResults
        var batches = await SweepAllAsync(dryRun: false);

        var batch = Assert.Single(batches);
        Assert.Equal(4, batch.Pages);
        Assert.Equal(4, _ssmServer.Count("DescribeParameters"));
        Assert.Equal(23, batch.Deleted);
        Assert.Empty(_ssmServer.Names);
    }

    [Fact]
    public async Task A_batch_stops_before_its_lookups_pass_2000_ids_and_reports_at_most_100_names()
    {
        for (var i = 1; i <= 2100; i++)
        {
            Seed(Param(i, "config"), Now.AddHours(-1));
        }

        var first = await RunPageAsync(new() { ParameterPrefix = Prefix, PageSize = 50, Now = Now, GraceMinutes = 10, DryRun = true });

        Assert.Equal(40, first.Pages);
        Assert.Equal(2000, first.Listed);
        Assert.Equal(2000, first.Stale);
        Assert.Equal(StaleSsmSweepPageResult.MaxNames, first.StaleNames.Count);
        Assert.NotNull(first.NextToken);
        Assert.Equal(10, _ec2Server.Count("DescribeInstances"));
    }

    [Fact]
    public async Task A_batch_of_young_parameters_stops_at_80_pages()
    {
        for (var i = 1; i <= 4100; i++)
        {
            Seed(Param(i, "config"), Now.AddMinutes(-1));
        }

        var first = await RunPageAsync(new() { ParameterPrefix = Prefix, PageSize = 50, Now = Now, GraceMinutes = 10 });

        Assert.Equal(StaleSsmSweepActivities.MaxPagesPerBatch, first.Pages);
        Assert.Equal(4000, first.KeptYoung);
        Assert.NotNull(first.NextToken);
        Assert.Equal(0, _ec2Server.Count("DescribeInstances"));
    }

    [Fact]
    public async Task Throttled_listing_becomes_a_retryable_failure_typed_with_the_aws_code()
    {
        Seed(Param(1, "config"), Now.AddHours(-1));
        _ssmServer.FailNext("DescribeParameters", "ThrottlingException");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => RunPageAsync(new() { ParameterPrefix = Prefix, PageSize = 50, Now = Now, GraceMinutes = 10 }));

        Assert.Equal("ThrottlingException", failure.ErrorType);
        Assert.False(failure.NonRetryable);
        Assert.Single(_ssmServer.Names);
    }

    [Fact]
    public async Task A_failed_instance_lookup_deletes_nothing()
    {
        Seed(Param(1, "config"), Now.AddHours(-1));
        _ec2Server.FailNext("DescribeInstances", "UnauthorizedOperation");

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(
            () => RunPageAsync(new() { ParameterPrefix = Prefix, PageSize = 50, Now = Now, GraceMinutes = 10 }));

        Assert.Equal("UnauthorizedOperation", failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Single(_ssmServer.Names);
        Assert.Equal(0, _ssmServer.Count("DeleteParameters"));
    }

    [Fact]
    public async Task Settings_come_from_options_unless_the_trigger_overrides_the_grace_period()
    {
        var activities = Activities(new StaleSsmSweepOptions { GraceMinutes = 15, PagesPerRun = 3, ParameterPrefix = "/x/" });

        var configured = await activities.PlanStaleSsmSweepAsync(null);
        var overridden = await activities.PlanStaleSsmSweepAsync(45);

        Assert.Equal(new StaleSsmSweepPlan { ParameterPrefix = "/x/", GraceMinutes = 15, PageSize = 50, PagesPerRun = 3 }, configured);
        Assert.Equal(45, overridden.GraceMinutes);
    }

    /// <summary>Instance ids in the current 17-hex-digit form.</summary>
    internal static string Id(int n) => $"i-{n:x17}";

    internal static string Param(int instance, string leaf) => $"{Prefix}{Id(instance)}/{leaf}";

    private void Seed(string name, DateTimeOffset lastModified) => _ssmServer.Put(name, "secret", lastModified, "SecureString");

    private StaleSsmSweepActivities Activities(StaleSsmSweepOptions? options = null) =>
        new(_ssm, _ec2, Options.Create(options ?? new StaleSsmSweepOptions()), _metrics, _logs.Logger<StaleSsmSweepActivities>());

    private Task<StaleSsmSweepPageResult> RunPageAsync(StaleSsmSweepPageRequest request)
    {
        var activities = Activities();
        return new ActivityEnvironment().RunAsync(() => activities.SweepStaleParameterPageAsync(request));
    }

    private async Task<List<StaleSsmSweepPageResult>> SweepAllAsync(bool dryRun)
    {
        var pages = new List<StaleSsmSweepPageResult>();
        string? token = null;
        do
        {
            var page = await RunPageAsync(new() { ParameterPrefix = Prefix, PageSize = 50, Now = Now, GraceMinutes = 10, NextToken = token, DryRun = dryRun });
            pages.Add(page);
            token = page.NextToken;
        }
        while (token is not null);

        return pages;
    }
}
