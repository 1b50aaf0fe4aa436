using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;
using RunsFleet.Infrastructure.Monitoring;

namespace RunsFleet.Infrastructure.Messaging;

/// <summary>The two queues the SqsBridge reads, each with a dead-letter queue that catches what fails
/// three times (poison messages, unknown task types) and an alarm that fires while that DLQ holds anything.
/// The termination queue is FIFO or standard (<see cref="TerminationQueueKind"/>); its DLQ is of the
/// same kind, as SQS requires, and everything else (names, alarm, grants, the bridge's queue URL) follows.
/// Beside a running runs-fleet the termination queue is adopted instead (runsFleet:existingTerminationQueue):
/// the stack creates neither it nor a DLQ, and alarms on the DLQ only when
/// runsFleet:existingTerminationDeadLetterQueue names it.</summary>
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

    /// <summary>Visibility timeout of the termination queue (either kind): how long a received message stays hidden
    /// before SQS hands it out again, unless the bridge deletes it or extends its visibility first. The bridge
    /// keeps a message in flight and extends its visibility while it retries the message's start, so 120 s is
    /// a floor (one receive, start and batch delete fit well inside it), not a ceiling on how long a start may
    /// take; a message held by a bridge task that died is handed out again within 2 minutes.</summary>
    public const int TerminationVisibilitySeconds = 120;

    private static readonly Duration Retention = Duration.Days(14);

    public RunsFleetQueues(Construct scope, string id, RunsFleetSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(settings);
        TerminationKind = settings.TerminationQueueKind;
        var topic = OnCallAlarm.Topic(this, settings.AlarmTopicArn);
        if (settings.ExistingTerminationQueue is { } existing)
        {
            // Adopted (runs-fleet's queue): nothing about it changes here; its DLQ is known only when given.
            Termination = Adopt("Termination", existing);
            TerminationAdopted = true;
            if (settings.ExistingTerminationDeadLetterQueue is { } dlq)
            {
                TerminationDeadLetters = Adopt("TerminationDlq", dlq);
                TerminationDlqAlarm = NotEmptyAlarm("TerminationDlqNotEmpty", TerminationDeadLetters, dlq.Name, topic);
            }
        }
        else
        {
            // Beside runs-fleet's own (deploy/terraform/queues.tf:62-66) the differences that stay are in
            // docs/cutover.md ("The termination queue"): 120 s visibility (what runs-fleet's receive sets anyway,
            // pkg/queue/sqs.go:110-116), 14 days retention instead of 1 h, a DLQ the bridge requires, TLS only.
            var dlqName = TerminationDlqNameFor(TerminationKind);
            (Termination, var deadLetters) = CreateWithDeadLetters("Termination",
                TerminationQueueNameFor(TerminationKind), dlqName, TerminationKind == TerminationQueueKind.Fifo,
                TerminationVisibilitySeconds);
            TerminationDeadLetters = deadLetters;
            TerminationDlqAlarm = NotEmptyAlarm("TerminationDlqNotEmpty", deadLetters, dlqName, topic);
        }

        // Visibility 300 s: a trigger is acknowledged once its sweep started or joined a running one.
        (Housekeeping, var housekeepingDeadLetters) = CreateWithDeadLetters(
            "Housekeeping", HousekeepingQueueName, HousekeepingDlqName, fifo: false, visibilitySeconds: 300);
        _ = NotEmptyAlarm("HousekeepingDlqNotEmpty", housekeepingDeadLetters, HousekeepingDlqName, topic);
    }

    /// <summary>The kind of <see cref="Termination"/> and <see cref="TerminationDeadLetters"/>.</summary>
    public TerminationQueueKind TerminationKind { get; }

    /// <summary>The queue the bridge reads: created here, or adopted (<see cref="TerminationAdopted"/>).</summary>
    public IQueue Termination { get; }

    /// <summary>True when <see cref="Termination"/> is an existing queue the stack does not manage.</summary>
    public bool TerminationAdopted { get; }

    /// <summary>The termination DLQ: created with the queue, or the adopted queue's when given; else null.</summary>
    public IQueue? TerminationDeadLetters { get; }

    public Queue Housekeeping { get; }

    /// <summary>Null only when the termination queue is adopted and its DLQ was not given.</summary>
    public Alarm? TerminationDlqAlarm { get; }

    /// <summary>The termination queue's name: a FIFO queue's name must end in <c>.fifo</c>, a standard queue's must
    /// not.</summary>
    public static string TerminationQueueNameFor(TerminationQueueKind kind) =>
        kind == TerminationQueueKind.Fifo ? TerminationFifoQueueName : TerminationStandardQueueName;

    /// <summary>The termination DLQ's name (same kind as the termination queue).</summary>
    public static string TerminationDlqNameFor(TerminationQueueKind kind) =>
        kind == TerminationQueueKind.Fifo ? TerminationFifoDlqName : TerminationStandardDlqName;

    private IQueue Adopt(string id, QueueReference queue) => Queue.FromQueueAttributes(this, id, new QueueAttributes
    {
        QueueArn = queue.ArnIn(Stack.Of(this)),
        // Given, so the DLQ alarm's dimension is the plain name rather than a split of the ARN.
        QueueName = queue.Name,
        // Null for a name: CDK derives https://sqs.<region>.<suffix>/<account>/<name> from the ARN.
        QueueUrl = queue.Url,
        Fifo = queue.Kind == TerminationQueueKind.Fifo,
    });

    /// <summary>A queue (construct <paramref name="id"/>) and its DLQ (<paramref name="id"/>Dlq), both kept 14 days,
    /// SQS-encrypted and TLS only.</summary>
    private (Queue Queue, Queue DeadLetters) CreateWithDeadLetters(
        string id, string name, string dlqName, bool fifo, int visibilitySeconds)
    {
        var deadLetters = new Queue(this, id + "Dlq", new QueueProps
        {
            QueueName = dlqName,
            // SQS requires a FIFO queue's DLQ to be FIFO and a standard queue's to be standard.
            Fifo = fifo ? true : null,
            RetentionPeriod = Retention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });
        var queue = new Queue(this, id, new QueueProps
        {
            QueueName = name,
            Fifo = fifo ? true : null,
            // FIFO: an identical body within 5 minutes is dropped by SQS. Standard: no deduplication by SQS;
            // repeated and reordered deliveries are absorbed by the workflow ids and conditional updates.
            ContentBasedDeduplication = fifo ? true : null,
            VisibilityTimeout = Duration.Seconds(visibilitySeconds),
            RetentionPeriod = Retention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = deadLetters, MaxReceiveCount = MaxReceiveCount },
        });
        return (queue, deadLetters);
    }

    private Alarm NotEmptyAlarm(string id, IQueue deadLetters, string queueName, ITopic? topic) =>
        OnCallAlarm.Create(this, id, $"{queueName}-not-empty",
            $"{queueName} holds messages that failed {MaxReceiveCount} times: inspect and redrive "
                + $"(docs/operator-guide.md, 'Dead-letter queues').",
            deadLetters.MetricApproximateNumberOfMessagesVisible(new MetricOptions
            {
                Period = Duration.Minutes(5),
                Statistic = Stats.MAXIMUM,
            }),
            threshold: 0, periods: 1, topic);
}
