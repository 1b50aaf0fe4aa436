using System.Reflection;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Extensions.NETCore.Setup;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Hosting;
using RunsFleet.Hosting.Telemetry;
using RunsFleet.Tests.Hosting.Telemetry;
using RunsFleet.Tests.Support;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Hosting;
using RunsFleet.Worker.Schedules;
using Temporalio.Activities;
using Temporalio.Client;
using Temporalio.Extensions.Hosting;

namespace RunsFleet.Tests.Worker.Hosting;

public sealed class WorkerHostTests
{
    private static readonly AWSOptions OfflineAws = new()
    {
        Region = RegionEndpoint.USEast1,
        Credentials = new BasicAWSCredentials("test", "test"),
    };

    [Fact]
    public void The_host_builds_without_a_server_and_configures_the_temporal_worker()
    {
        var settings = TestEnvironment.Load(
            ("RUNS_FLEET_TASK_QUEUE", "fleet-q"),
            ("RUNS_FLEET_MAX_CONCURRENT_ACTIVITIES", "12"),
            ("RUNS_FLEET_SHUTDOWN_SECONDS", "45"));

        using var host = Build(settings);

        var worker = host.Services.GetRequiredService<IOptionsMonitor<TemporalWorkerServiceOptions>>().Get("fleet-q");
        Assert.Equal("fleet-q", worker.TaskQueue);
        Assert.Equal(12, worker.MaxConcurrentActivities);
        Assert.Equal(TimeSpan.FromSeconds(45), worker.GracefulShutdownTimeout);
        // Every activity's log lines name its run, job and instance (ActivityLogScopeTests).
        Assert.Single(worker.Interceptors ?? [], i => i is ActivityLogScope);
        // The host waits a little longer than the worker so its graceful shutdown completes.
        Assert.Equal(TimeSpan.FromSeconds(50), host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
        var hosted = host.Services.GetServices<IHostedService>().ToList();
        Assert.Single(hosted.OfType<TemporalWorkerService>());
        Assert.Single(hosted.OfType<HealthFileWriter>());
        Assert.Single(hosted.OfType<ScheduleApplicationService>());
    }

    [Fact]
    public async Task With_a_prometheus_bind_the_worker_host_serves_the_temporal_sdk_metrics()
    {
        var port = LoopbackPorts.GetFree();
        using var host = Build(TestEnvironment.Load(("RUNS_FLEET_PROMETHEUS_BIND", $"127.0.0.1:{port}")));
        // Built (and its listener started) when the host starts; resolved here without starting
        // the Temporal worker, which has no server to poll on this machine.
        host.Services.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>();
        var probe = "runs_fleet_worker_probe_" + Guid.NewGuid().ToString("N")[..8];
        TemporalTelemetry.Runtime.MetricMeter.CreateCounter<long>(probe).Add(2);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var scrape = new ScrapeText(await http.GetStringAsync($"http://127.0.0.1:{port}/metrics"));

        Assert.Equal(2, scrape.Value(probe + "_total", "otel_scope_name=\"Temporalio\""));
        Assert.Contains(scrape.Samples, l => l.StartsWith("target_info{service_name=\"runs-fleet-worker\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Shared_services_resolve_from_the_container()
    {
        using var host = Build(TestEnvironment.Load(("RUNS_FLEET_JOBS_TABLE", "fleet-jobs"), ("RUNS_FLEET_METRICS_NAMESPACE", "Fleet")));
        var services = host.Services;

        var client = services.GetRequiredService<ITemporalClient>();
        Assert.Equal("localhost:7233", client.Connection.Options.TargetHost);
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
        Assert.IsType<EmfMetricsSink>(services.GetRequiredService<IMetricsSink>());
        Assert.Equal("fleet-jobs", services.GetRequiredService<IOptions<JobsTableOptions>>().Value.TableName);
        Assert.Equal("Fleet", services.GetRequiredService<IOptions<MetricsOptions>>().Value.Namespace);
        Assert.NotNull(services.GetRequiredService<IAmazonDynamoDB>());
        Assert.NotNull(services.GetRequiredService<IAmazonSimpleSystemsManagement>());
        Assert.NotNull(services.GetRequiredService<IAmazonEC2>());
        Assert.NotNull(services.GetRequiredService<IAmazonS3>());
        Assert.NotNull(services.GetRequiredService<IAmazonSQS>());
        Assert.IsType<TemporalScheduleStore>(services.GetRequiredService<IScheduleStore>());
        Assert.NotNull(services.GetRequiredService<ScheduleApplier>());
    }

    [Fact]
    public void Every_registered_activity_resolves_with_its_dependencies()
    {
        var settings = TestEnvironment.Load(("RUNS_FLEET_TASK_QUEUE", "activities-q"));
        var collection = new List<ServiceDescriptor>();

        // The probe takes what real activities take; the capabilities registered in
        // WorkerRegistration are resolved the same way (and by this test after the merge).
        using var host = Build(settings, w => w.AddScopedActivities<ProbeActivities>(), collection.AddRange);

        var worker = host.Services.GetRequiredService<IOptionsMonitor<TemporalWorkerServiceOptions>>().Get("activities-q");
        var activityTypes = collection
            .Select(d => d.ServiceType)
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<ActivityAttribute>() is not null))
            .Distinct()
            .ToList();
        Assert.Contains(typeof(ProbeActivities), activityTypes);
        Assert.Equal(
            activityTypes.Sum(t => t.GetMethods().Count(m => m.GetCustomAttribute<ActivityAttribute>() is not null)),
            worker.Activities.Count);
        using var scope = host.Services.CreateScope();
        Assert.All(activityTypes, t => Assert.NotNull(scope.ServiceProvider.GetRequiredService(t)));
        Assert.Contains(worker.Activities, a => a.Name == "Probe");
    }

    [Fact]
    public void Every_activity_job_termination_schedules_is_registered_on_the_worker()
    {
        using var host = Build(TestEnvironment.Load(("RUNS_FLEET_TASK_QUEUE", "termination-q")));

        var worker = host.Services.GetRequiredService<IOptionsMonitor<TemporalWorkerServiceOptions>>().Get("termination-q");
        var names = worker.Activities.Select(a => a.Name!).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(names, new HashSet<string>(["FindActiveJobsOfInstance", "CompleteJob", "RecordJobStarted", "DeleteRunnerParameters", "PublishJobMetrics"], StringComparer.Ordinal));
    }

    [Fact]
    public void Applying_schedules_at_start_can_be_turned_off()
    {
        using var host = Build(TestEnvironment.Load(("RUNS_FLEET_APPLY_SCHEDULES", "false")));

        Assert.Empty(host.Services.GetServices<IHostedService>().OfType<ScheduleApplicationService>());
    }

    [Fact]
    public async Task The_health_signal_is_unhealthy_while_the_worker_is_not_running()
    {
        using var host = Build(TestEnvironment.Load());
        var signal = host.Services.GetServices<IHealthSignal>().OfType<WorkerRunningSignal>().Single();

        Assert.False(await signal.IsHealthyAsync(CancellationToken.None));
    }

    private static IHost Build(WorkerSettings settings, Action<ITemporalWorkerServiceOptionsBuilder>? worker = null, Action<IServiceCollection>? capture = null)
    {
        var builder = WorkerHost.CreateBuilder(
            settings with { HealthFile = Path.Combine(Path.GetTempPath(), $"host-test-{Guid.NewGuid():N}.health") },
            new WorkerHostOverrides { Aws = OfflineAws, ConfigureWorker = worker, ConfigureServices = capture });
        return builder.Build();
    }

    public sealed class ProbeActivities
    {
        private readonly ILogger<ProbeActivities> _logger;

        public ProbeActivities(
            IAmazonDynamoDB dynamo,
            IAmazonSimpleSystemsManagement ssm,
            IAmazonEC2 ec2,
            IAmazonS3 s3,
            IAmazonSQS sqs,
            IOptions<JobsTableOptions> jobs,
            IOptions<MetricsOptions> metrics,
            IMetricsSink sink,
            TimeProvider time,
            ILogger<ProbeActivities> logger)
        {
            ArgumentNullException.ThrowIfNull(dynamo);
            ArgumentNullException.ThrowIfNull(ssm);
            ArgumentNullException.ThrowIfNull(ec2);
            ArgumentNullException.ThrowIfNull(s3);
            ArgumentNullException.ThrowIfNull(sqs);
            ArgumentNullException.ThrowIfNull(jobs);
            ArgumentNullException.ThrowIfNull(metrics);
            ArgumentNullException.ThrowIfNull(sink);
            ArgumentNullException.ThrowIfNull(time);
            _logger = logger;
        }

        [Activity]
        public Task<string> ProbeAsync(string value)
        {
            _logger.LogInformation("probe {Value}", value);
            return Task.FromResult(value);
        }
    }
}
