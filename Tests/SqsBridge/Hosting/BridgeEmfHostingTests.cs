using System.Diagnostics;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Metrics;
using RunsFleet.SqsBridge.Hosting;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Tests.Activities.Metrics;
using RunsFleet.Tests.Support;
using static RunsFleet.Tests.SqsBridge.BridgeHarness;

namespace RunsFleet.Tests.SqsBridge.Hosting;

/// <summary>
/// The bridge host writes its counts as EMF lines through the metrics sink: aggregated per flush
/// interval and once more at stop (after the pumps' drain), never a line per message.
/// </summary>
public sealed class BridgeEmfHostingTests : IClassFixture<FauxqsFixture>
{
    private readonly FauxqsFixture _fauxqs;

    public BridgeEmfHostingTests(FauxqsFixture fauxqs) => _fauxqs = fauxqs;

    [Fact]
    public async Task Thirty_messages_make_one_emf_line_per_flush_and_every_message_is_counted_once()
    {
        using var sqs = _fauxqs.CreateSqsClient();
        var queues = await _fauxqs.CreateFifoQueueWithDlqAsync("emf-termination", visibilityTimeoutSeconds: 5);
        for (var job = 1; job <= 30; job++)
        {
            await SendFifoAsync(sqs, queues.QueueUrl, TerminationBody(job));
        }

        var interval = TimeSpan.FromMilliseconds(500);
        var output = new StringWriter();
        var starter = new RecordingWorkflowStarter();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IAmazonSQS>(sqs);
        builder.Services.AddSingleton<IWorkflowStarter>(starter);
        builder.Services.AddSingleton<IMetricsSink>(new EmfMetricsSink(Microsoft.Extensions.Options.Options.Create(new MetricsOptions { Namespace = "RunsFleetTest" }), TimeProvider.System, output));
        builder.Services.AddSqsBridge(Options(queues.QueueUrl) with { MetricsFlushInterval = interval });
        using var host = builder.Build();
        var clock = Stopwatch.StartNew();

        await host.StartAsync();
        await WaitUntilAsync(() => starter.Started.Count == 30, "thirty starts");
        await WaitUntilAsync(async () => await TotalAsync(sqs, queues.QueueUrl) == 0, "the queue is empty");
        await host.StopAsync();
        var lines = EmfLine.ParseAll(output.ToString());

        Assert.InRange(lines.Count, 1, (int)(clock.Elapsed / interval) + 2);
        Assert.All(lines, line =>
        {
            Assert.Equal("RunsFleetTest", line.Namespace);
            Assert.Equal([["Queue"]], line.DimensionSets);
            Assert.Equal("termination", line.Dimension("Queue"));
            Assert.Single(line.Values("BridgeMessagesReceived"));
            Assert.Equal("Count", line.Units["BridgeMessagesReceived"]);
        });
        Assert.Equal(30, lines.Sum(l => l.Values("BridgeMessagesReceived")[0]));
        Assert.Equal(30, lines.Sum(l => l.Values("BridgeWorkflowsStarted")[0]));
        var timed = lines.Where(l => l.Root.TryGetProperty("BridgeStartLatency", out _)).ToList();
        Assert.Equal(30, timed.Sum(l => l.Values("BridgeStartLatency").Count));
        Assert.All(timed, l => Assert.Equal("Seconds", l.Units["BridgeStartLatency"]));
        Assert.Equal(0, lines[^1].Values("BridgeMessagesInFlight")[0]);
    }
}
