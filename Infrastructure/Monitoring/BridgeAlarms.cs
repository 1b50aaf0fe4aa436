using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Constructs;
using RunsFleet.Infrastructure.Services;

namespace RunsFleet.Infrastructure.Monitoring;

/// <summary>Alarms on the SqsBridge's metrics, as the collector sidecar writes them (namespace
/// <see cref="ContainerEnvironment.MetricsNamespace"/>, dimension queue; names are the bridge's instrument names,
/// SqsBridge/Telemetry/BridgeMetrics.cs), next to the queues' dead-letter alarms: what an on-call must act on.
/// <list type="bullet">
/// <item>Rejections: a message the parsers refuse is on its way to the DLQ; a sender sends something
/// this code does not accept (a new agent version, a typo in a trigger).</item>
/// <item>Refused: Temporal refuses starts (namespace, search attributes, credentials); the bridge stopped
/// receiving and nothing is processed until an operator fixes it.</item>
/// <item>Termination start latency p99: starts are retried through an outage or Temporal is slow;
/// job clean-up lags behind.</item>
/// </list>
/// Missing data is not breaching: a quiet minute exports nothing (delta temporality), a stopped bridge is the
/// ECS health check's case.</summary>
public sealed class BridgeAlarms : Construct
{
    // The bridge's instrument names (BridgeMetrics.Rejections, .Refused, .StartLatency), pinned by a test.
    public const string RejectionsMetric = "runs_fleet.bridge.messages.rejected";
    public const string RefusedMetric = "runs_fleet.bridge.refused.time";
    public const string StartLatencyMetric = "runs_fleet.bridge.start.latency";

    /// <summary>The dimension naming the queue kind (the bridge's queue tag).</summary>
    public const string QueueDimension = "queue";

    /// <summary>p99 start latency (seconds) above which, for 15 minutes, the termination alarm fires.</summary>
    public const double StartLatencyP99Seconds = 30;

    public static readonly string[] QueueKinds = ["termination", "housekeeping"];

    public BridgeAlarms(Construct scope, string id, string? alarmTopicArn)
        : base(scope, id)
    {
        var topic = OnCallAlarm.Topic(this, alarmTopicArn);
        Alarm Create(string name, Metric metric, double threshold, int periods, string description) =>
            OnCallAlarm.Create(this, name, "runs-fleet-bridge-" + name, description, metric, threshold, periods, topic);
        var alarms = new List<Alarm>();
        const string Guide = "(docs/operator-guide.md, 'Metrics and alarms').";
        foreach (var queue in QueueKinds)
        {
            alarms.Add(Create($"{queue}-rejections", Metric(RejectionsMetric, queue, Stats.SUM), 0, 1,
                $"The SqsBridge rejected {queue} messages in the last 5 minutes; they go to the {queue} DLQ. "
                + $"The code dimension of {RejectionsMetric} and the bridge's 'Rejected' log lines name why {Guide}"));
            alarms.Add(Create($"{queue}-refused", Metric(RefusedMetric, queue, Stats.SUM), 0, 1,
                $"Temporal refuses {queue} workflow starts, so the SqsBridge stopped receiving: fix the namespace, "
                + "search attributes or API key named in the bridge's error log; "
                + $"receiving resumes by itself {Guide}"));
        }

        var latency = Metric(StartLatencyMetric, "termination", Stats.Percentile(99));
        alarms.Add(Create("termination-start-latency", latency, StartLatencyP99Seconds, 3,
            $"p99 of termination workflow starts above {StartLatencyP99Seconds} s for 15 minutes: "
            + $"Temporal is slow or unreachable and starts are retried {Guide}"));
        Alarms = alarms;
    }

    public IReadOnlyList<Alarm> Alarms { get; }

    private static Metric Metric(string name, string queue, string statistic) => new(new MetricProps
    {
        Namespace = ContainerEnvironment.MetricsNamespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { [QueueDimension] = queue },
        Statistic = statistic,
        Period = Duration.Minutes(5),
    });
}
