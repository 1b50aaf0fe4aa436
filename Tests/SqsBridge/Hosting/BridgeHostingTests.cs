using System.Diagnostics.Metrics;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunsFleet.Contracts.Sweeps.PoolAudit;
using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Hosting;
using RunsFleet.SqsBridge.Pump;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.SqsBridge.Telemetry;
using RunsFleet.Tests.SqsBridge.Telemetry;
using RunsFleet.Tests.Support;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Hosting;

/// <summary>AddSqsBridge in a generic host, as the Worker's dev mode hosts the bridge in-process.</summary>
public sealed class BridgeHostingTests : IClassFixture<FauxqsFixture>
{
    private readonly FauxqsFixture _fauxqs;

    public BridgeHostingTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Fact]
    public async Task A_host_with_AddSqsBridge_bridges_both_queues_and_stops_cleanly()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var termination = await _fauxqs.CreateFifoQueueWithDlqAsync("hosted-termination", visibilityTimeoutSeconds: 5);
        var housekeeping = await _fauxqs.CreateStandardQueueWithDlqAsync("hosted-housekeeping", visibilityTimeoutSeconds: 5);
        await SendFifoAsync(sqs, termination.QueueUrl, TerminationBody(1));
        await SendFifoAsync(sqs, termination.QueueUrl, TerminationBody(2, "failure"));
        await sqs.SendMessageAsync(housekeeping.QueueUrl, """{"task_type":"pool_audit","params":{"dry_run":"true"}}""");
        var starter = new RecordingWorkflowStarter();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAmazonSQS>(sqs);
        builder.Services.AddSingleton<IWorkflowStarter>(starter);
        builder.Services.AddSqsBridge(Options(termination.QueueUrl, housekeeping.QueueUrl));
        using var host = builder.Build();
        using var started = Collect<long>(host, BridgeMetrics.Started);

        Assert.Equal(2, host.Services.GetServices<IHostedService>().OfType<SqsQueuePump>().Count());
        Assert.True(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout >= TimeSpan.FromSeconds(10));

        await host.StartAsync();
        await WaitUntilAsync(() => starter.Started.Count == 3, "two terminations and one sweep started");
        await WaitUntilAsync(async () => await TotalAsync(sqs, termination.QueueUrl) + await TotalAsync(sqs, housekeeping.QueueUrl) == 0, "both queues empty");
        await host.StopAsync();

        Assert.Equal(["JobTermination", "JobTermination", "PoolAudit"], starter.Started.Select(r => r.WorkflowType).Order());
        // The bridge counts on the host's meter factory (what the host's exporters read), per queue kind.
        Assert.Equal(2, MeteredBridge.Sum(started, (BridgeMetrics.QueueTag, "termination")));
        Assert.Equal(1, MeteredBridge.Sum(started, (BridgeMetrics.QueueTag, "housekeeping")));
    }

    [Fact]
    public async Task Thirty_messages_through_a_host_are_each_counted_once_on_the_hosts_meter()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("meter-termination", visibilityTimeoutSeconds: 5);
        for (var job = 1; job <= 30; job++)
        {
            await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(job));
        }

        var starter = new RecordingWorkflowStarter();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAmazonSQS>(sqs);
        builder.Services.AddSingleton<IWorkflowStarter>(starter);
        builder.Services.AddSqsBridge(Options(queues.QueueUrl));
        using var host = builder.Build();
        using var received = Collect<long>(host, BridgeMetrics.Received);
        using var started = Collect<long>(host, BridgeMetrics.Started);
        using var latency = Collect<double>(host, BridgeMetrics.StartLatency);
        using var inFlight = Collect<int>(host, BridgeMetrics.InFlight);

        await host.StartAsync();
        await WaitUntilAsync(() => starter.Started.Count == 30, "thirty starts");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
        await host.StopAsync();

        Assert.Equal(30, MeteredBridge.Sum(received, (BridgeMetrics.QueueTag, "termination")));
        Assert.Equal(30, MeteredBridge.Sum(started, (BridgeMetrics.QueueTag, "termination")));
        Assert.Equal(30, latency.GetMeasurementSnapshot().Count);
        Assert.All(latency.GetMeasurementSnapshot(), m => Assert.Equal("termination", m.Tags[BridgeMetrics.QueueTag]));
        Assert.Equal(0, MeteredBridge.Observe(inFlight, "termination"));
    }

    [Fact]
    public void Without_a_housekeeping_queue_only_termination_is_bridged_and_the_temporal_starter_is_the_default()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IAmazonSQS>(new AmazonSQSClient(AwsClients.Credentials, new AmazonSQSConfig { ServiceURL = "http://127.0.0.1:9" }));
        services.AddTemporalClient(new Temporalio.Client.TemporalClientConnectOptions("127.0.0.1:9"));
        services.AddSqsBridge(new BridgeOptions { TerminationQueueUrl = "http://127.0.0.1:9/000000000000/t.fifo" });
        using var provider = services.BuildServiceProvider();

        var pump = Assert.Single(provider.GetServices<IHostedService>().OfType<SqsQueuePump>());
        Assert.Equal("http://127.0.0.1:9/000000000000/t.fifo", pump.QueueUrl);
        Assert.IsType<TemporalWorkflowStarter>(provider.GetRequiredService<IWorkflowStarter>());
    }

    [Fact]
    public async Task The_temporal_starter_reports_an_unreachable_server_and_throws_on_start()
    {
        var client = Temporalio.Client.TemporalClient.CreateLazy(new Temporalio.Client.TemporalClientConnectOptions("127.0.0.1:1"));
        var starter = new TemporalWorkflowStarter(client, new BridgeOptions { TerminationQueueUrl = "http://x/q" }, new Microsoft.Extensions.Logging.Testing.FakeLogger<TemporalWorkflowStarter>());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        Assert.False(await starter.IsReachableAsync(timeout.Token));
        var request = new WorkflowStartRequest("PoolAudit", "sweep-pool-audit", new PoolAuditInput(), new Dictionary<string, string>(), StartMode.JoinRunning);
        await Assert.ThrowsAnyAsync<Exception>(() => starter.StartAsync(request, timeout.Token));
    }

    [Fact]
    public async Task The_standalone_health_file_is_touched_while_the_pumps_run_and_removed_on_stop()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var termination = await _fauxqs.CreateFifoQueueWithDlqAsync("health-termination", visibilityTimeoutSeconds: 5);
        var healthFile = Path.Combine(Path.GetTempPath(), $"runs-fleet-bridge-{Guid.NewGuid():N}.health");
        var options = Options(termination.QueueUrl) with { HealthFile = healthFile };

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAmazonSQS>(sqs);
        builder.Services.AddSingleton<IWorkflowStarter>(new RecordingWorkflowStarter());
        builder.Services.AddSqsBridge(options);
        builder.Services.AddHealthFile(options.HealthFile);
        using var host = builder.Build();

        await host.StartAsync();
        await WaitUntilAsync(() => File.Exists(healthFile), "the health file is written while the pump runs");
        await host.StopAsync();

        Assert.False(File.Exists(healthFile), "a stopped bridge must not look healthy");
    }

    [Fact]
    public async Task The_pumps_check_is_unhealthy_when_no_pump_runs()
    {
        var check = new RunningServicesCheck<SqsQueuePump>([]);

        var result = await check.CheckHealthAsync(new HealthCheckContext(), CancellationToken.None);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }

    private static MetricCollector<T> Collect<T>(IHost host, string instrument)
        where T : struct =>
        new(host.Services.GetRequiredService<IMeterFactory>(), BridgeMetrics.MeterName, instrument);
}
