using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Extensions.NETCore.Setup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Preflight;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Hosting;
using RunsFleet.Tests.Support;
using RunsFleet.Worker.Hosting;
using Temporalio.Extensions.Hosting;

namespace RunsFleet.Tests.Worker.Hosting;

/// <summary>The worker's preflight at start against dynalite: one log line per capability; only a missing jobs table stops it.</summary>
public sealed class PreflightServiceTests(DynaliteFixture dynalite) : IClassFixture<DynaliteFixture>
{
    [Fact]
    public async Task On_runs_fleets_table_alone_it_logs_each_capability_and_the_worker_starts()
    {
        using var logs = new LogCapture();
        using var dynamo = dynalite.CreateClient();
        var jobs = await dynalite.CreateJobsTableAsync(withAddedIndexes: false);
        var service = Service(dynamo, jobs, await dynalite.CreatePoolsTableAsync(), logs);

        await service.StartAsync(CancellationToken.None);

        Assert.Equal(6, service.Reports.Count);
        Assert.Equal("Preflight JobTermination: ready", logs.Single(LogLevel.Information, "Preflight JobTermination").Message);
        var orphans = logs.Single(LogLevel.Error, "Preflight OrphanSweep");
        Assert.Equal(
            $"Preflight OrphanSweep: not ready: the jobs table {jobs} has no index status-created_at-index (HASH status, RANGE created_at; projection INCLUDE instance_id (or ALL)). "
            + $"Fix: {IndexFix.CreateCommand(jobs, JobsIndexRequirement.ActiveJobs(new JobsTableOptions()))}",
            orphans.Message);
        Assert.Equal("OrphanSweep", orphans.StructuredState!.Single(p => p.Key == "Capability").Value);
        Assert.Contains(orphans.Scopes, s => s is IEnumerable<KeyValuePair<string, object>> fields && fields.Any(f => f.Key == "Terraform"));
        Assert.Single(logs.Matching(LogLevel.Error, "Preflight OldJobArchival: not ready"));
        Assert.Equal("Preflight: 2 of 6 capabilities ready, 4 not ready, 0 not checked", logs.Single(LogLevel.Information, "Preflight: ").Message);
    }

    [Fact]
    public async Task A_missing_jobs_table_stops_the_worker_before_it_polls_with_exit_code_8()
    {
        using var logs = new LogCapture();
        using var dynamo = dynalite.CreateClient();
        var service = Service(dynamo, "runs-fleet-jobz", await dynalite.CreatePoolsTableAsync(), logs);

        var failure = await Assert.ThrowsAsync<PreflightFailedException>(() => service.StartAsync(CancellationToken.None));

        Assert.StartsWith("the jobs table runs-fleet-jobz does not exist: set RUNS_FLEET_JOBS_TABLE", failure.Message, StringComparison.Ordinal);
        Assert.Single(logs.At(LogLevel.Critical));

        // The whole host: the preflight runs before the Temporal worker, which never connects.
        var settings = TestEnvironment.Load(("RUNS_FLEET_JOBS_TABLE", "runs-fleet-jobz"), ("RUNS_FLEET_APPLY_SCHEDULES", "false"))
            with { HealthFile = Path.Combine(Path.GetTempPath(), $"preflight-{Guid.NewGuid():N}.health") };
        var aws = new AWSOptions { Region = RegionEndpoint.USEast1, Credentials = AwsClients.Credentials };
        aws.DefaultClientConfig.ServiceURL = dynalite.ServiceUrl;
        using var host = WorkerHost.CreateBuilder(settings, new WorkerHostOverrides { Aws = aws }).Build();
        var hosted = host.Services.GetServices<IHostedService>().ToList();
        Assert.True(hosted.FindIndex(h => h is PreflightService) < hosted.FindIndex(h => h is TemporalWorkerService));

        Assert.Equal(ExitCodes.InvalidConfiguration, await WorkerHost.RunAsync(host, CancellationToken.None));
    }

    [Fact]
    public async Task Without_an_aws_client_nothing_is_checked_and_the_worker_starts()
    {
        using var logs = new LogCapture();
        var services = new ServiceCollection().AddSingleton<IAmazonDynamoDB>(_ => throw new InvalidOperationException("No RegionEndpoint or ServiceURL configured")).BuildServiceProvider();
        var service = new PreflightService(
            services,
            Options.Create(new JobsTableOptions()),
            Options.Create(new PoolAuditOptions()),
            Options.Create(new JobArchiveOptions()),
            logs.Logger<PreflightService>());

        await service.StartAsync(CancellationToken.None);

        Assert.Empty(service.Reports);
        Assert.Contains("No RegionEndpoint", logs.Single(LogLevel.Warning, "Preflight not made").Message, StringComparison.Ordinal);
    }

    private static PreflightService Service(IAmazonDynamoDB dynamo, string jobsTable, string poolsTable, LogCapture logs) => new(
        new ServiceCollection().AddSingleton(dynamo).BuildServiceProvider(),
        Options.Create(new JobsTableOptions { TableName = jobsTable }),
        Options.Create(new PoolAuditOptions { PoolsTableName = poolsTable, ReportBucket = "reports" }),
        Options.Create(new JobArchiveOptions()),
        logs.Logger<PreflightService>());
}
