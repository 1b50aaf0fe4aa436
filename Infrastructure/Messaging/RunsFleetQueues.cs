using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace RunsFleet.Infrastructure.Messaging;

/// <summary>
/// The two queues the SqsBridge reads, each with a dead-letter queue that catches what fails
/// three times (poison messages, unknown task types) and an alarm that fires while that DLQ holds anything.
/// The termination queue is FIFO or standard (<see cref="TerminationQueueKind"/>); its DLQ is of the
/// same kind, as SQS requires, and everything else (names, alarm, grants, the bridge's queue URL) follows.
/// </summary>
public sealed class RunsFleetQueues : Construct
{
    public const string TerminationFifoQueueName = "runs-fleet-termination.fifo";
    public const string TerminationFifoDlqName = "runs-fleet-termination-dlq.fifo";
    public const string TerminationStandardQueueName = "runs-fleet-termination";
    public const string TerminationStandardDlqName = "runs-fleet-termination-dlq";
    public const string HousekeepingQueueName = "runs-fleet-housekeeping";
    public const string HousekeepingDlqName = "runs-fleet-housekeeping-dlq";

    /// <summary>Receives before a message moves to its DLQ.</summary>
    public const int MaxReceiveCount = 3;

    /// <summary>
    /// Visibility timeout of the termination queue (either kind): how long a received message stays hidden
    /// before SQS hands it out again, unless the bridge deletes it or extends its visibility first. The bridge
    /// keeps a message in flight and extends its visibility while it retries the message's start, so 120 s is
    /// a floor (one receive, start and batch delete fit well inside it), not a ceiling on how long a start may
    /// take; a message held by a bridge task that died is handed out again within 2 minutes.
    /// </summary>
    public const int TerminationVisibilitySeconds = 120;

    private static readonly Duration Retention = Duration.Days(14);

    public RunsFleetQueues(Construct scope, string id, TerminationQueueKind terminationKind, string? alarmTopicArn)
        : base(scope, id)
    {
        TerminationKind = terminationKind;
        var fifo = terminationKind == TerminationQueueKind.Fifo;
        TerminationDeadLetters = new Queue(this, "TerminationDlq", new QueueProps
        {
            QueueName = TerminationDlqNameFor(terminationKind),
            // SQS requires a FIFO queue's DLQ to be FIFO and a standard queue's to be standard.
            Fifo = fifo ? true : null,
            RetentionPeriod = Retention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        Termination = new Queue(this, "Termination", new QueueProps
        {
            QueueName = TerminationQueueNameFor(terminationKind),
            Fifo = fifo ? true : null,
            // FIFO: an identical body within 5 minutes is dropped by SQS. Standard: no deduplication by SQS;
            // repeated and reordered deliveries are absorbed by the workflow ids and conditional updates.
            ContentBasedDeduplication = fifo ? true : null,
            VisibilityTimeout = Duration.Seconds(TerminationVisibilitySeconds),
            RetentionPeriod = Retention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = TerminationDeadLetters, MaxReceiveCount = MaxReceiveCount },
        });

        HousekeepingDeadLetters = new Queue(this, "HousekeepingDlq", new QueueProps
        {
            QueueName = HousekeepingDlqName,
            RetentionPeriod = Retention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        // Visibility 300 s: a trigger is acknowledged once its sweep started or joined a running one.
        Housekeeping = new Queue(this, "Housekeeping", new QueueProps
        {
            QueueName = HousekeepingQueueName,
            VisibilityTimeout = Duration.Seconds(300),
            RetentionPeriod = Retention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = HousekeepingDeadLetters, MaxReceiveCount = MaxReceiveCount },
        });

        var topic = alarmTopicArn is null ? null : Topic.FromTopicArn(this, "AlarmTopic", alarmTopicArn);
        TerminationDlqAlarm = NotEmptyAlarm("TerminationDlqNotEmpty", TerminationDeadLetters, TerminationDlqNameFor(terminationKind), topic);
        HousekeepingDlqAlarm = NotEmptyAlarm("HousekeepingDlqNotEmpty", HousekeepingDeadLetters, HousekeepingDlqName, topic);
    }

    /// <summary>The kind of <see cref="Termination"/> and <see cref="TerminationDeadLetters"/>.</summary>
    public TerminationQueueKind TerminationKind { get; }

    public Queue Termination { get; }

    public Queue TerminationDeadLetters { get; }

    public Queue Housekeeping { get; }

    public Queue HousekeepingDeadLetters { get; }

    public Alarm TerminationDlqAlarm { get; }

    public Alarm HousekeepingDlqAlarm { get; }

    /// <summary>The termination queue's name: a FIFO queue's name must end in <c>.fifo</c>, a standard queue's must not.</summary>
    public static string TerminationQueueNameFor(TerminationQueueKind kind) =>
        kind == TerminationQueueKind.Fifo ? TerminationFifoQueueName : TerminationStandardQueueName;

    /// <summary>The termination DLQ's name (same kind as the termination queue).</summary>
    public static string TerminationDlqNameFor(TerminationQueueKind kind) =>
        kind == TerminationQueueKind.Fifo ? TerminationFifoDlqName : TerminationStandardDlqName;

    private Alarm NotEmptyAlarm(string id, Queue deadLetters, string queueName, ITopic? topic)
    {
        var alarm = new Alarm(this, id, new AlarmProps
        {
            AlarmName = $"{queueName}-not-empty",
            AlarmDescription = $"{queueName} holds messages that failed {MaxReceiveCount} times: inspect and redrive (docs/operator-guide.md, 'Dead-letter queues').",
            Metric = deadLetters.MetricApproximateNumberOfMessagesVisible(new MetricOptions
            {
                Period = Duration.Minutes(5),
                Statistic = Stats.MAXIMUM,
            }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        if (topic is not null)
        {
            alarm.AddAlarmAction(new SnsAction(topic));
        }

        return alarm;
    }
}
