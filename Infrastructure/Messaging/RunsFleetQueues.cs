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
/// </summary>
public sealed class RunsFleetQueues : Construct
{
    public const string TerminationQueueName = "runs-fleet-termination.fifo";
    public const string TerminationDlqName = "runs-fleet-termination-dlq.fifo";
    public const string HousekeepingQueueName = "runs-fleet-housekeeping";
    public const string HousekeepingDlqName = "runs-fleet-housekeeping-dlq";

    /// <summary>Receives before a message moves to its DLQ.</summary>
    public const int MaxReceiveCount = 3;

    private static readonly Duration Retention = Duration.Days(14);

    public RunsFleetQueues(Construct scope, string id, string? alarmTopicArn)
        : base(scope, id)
    {
        TerminationDeadLetters = new Queue(this, "TerminationDlq", new QueueProps
        {
            QueueName = TerminationDlqName,
            Fifo = true,
            RetentionPeriod = Retention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        // Visibility 120 s: longer than one batch of workflow starts plus the batch delete, so an
        // in-flight message is not handed to a second receiver; a stuck one returns within 2 minutes.
        Termination = new Queue(this, "Termination", new QueueProps
        {
            QueueName = TerminationQueueName,
            Fifo = true,
            ContentBasedDeduplication = true,
            VisibilityTimeout = Duration.Seconds(120),
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
        TerminationDlqAlarm = NotEmptyAlarm("TerminationDlqNotEmpty", TerminationDeadLetters, TerminationDlqName, topic);
        HousekeepingDlqAlarm = NotEmptyAlarm("HousekeepingDlqNotEmpty", HousekeepingDeadLetters, HousekeepingDlqName, topic);
    }

    public Queue Termination { get; }

    public Queue TerminationDeadLetters { get; }

    public Queue Housekeeping { get; }

    public Queue HousekeepingDeadLetters { get; }

    public Alarm TerminationDlqAlarm { get; }

    public Alarm HousekeepingDlqAlarm { get; }

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
