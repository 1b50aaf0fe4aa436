using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Tests.SqsBridge.Contracts;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Cli.Dlq;

/// <summary>A message as it arrived in a queue, for counting what a redrive put there.</summary>
internal sealed record QueuedMessage(string MessageId, string Body, string? GroupId, IReadOnlyDictionary<string, MessageAttributeValue> Attributes);

/// <summary>
/// A bridge queue with its dead-letter queue in fauxqs, filled with the real termination samples
/// (valid bodies) and poison, plus the CLI pointed at it.
/// </summary>
internal sealed class DlqScenario : IDisposable
{
    /// <summary>Bodies the bridge rejects, by the first rejection code it gives.</summary>
    public static readonly IReadOnlyList<(string Code, string Body)> Poison =
    [
        ("NotJson", "job finished: exit 0"),
        ("NotJson", "{\"instance_id\":\"i-0b3c5d7e9f1a2b4c6\",\"status\":"),
        ("MalformedInstanceId", "{\"instance_id\":\"i-xyz\",\"job_id\":\"59112233445\",\"status\":\"success\",\"started_at\":\"2026-11-30T09:14:03Z\"}"),
    ];

    private readonly FauxqsFixture _fauxqs;

    private DlqScenario(FauxqsFixture fauxqs, QueueWithDlq queues, bool fifo, string journal)
    {
        _fauxqs = fauxqs;
        Queues = queues;
        Fifo = fifo;
        Journal = journal;
        Sqs = fauxqs.CreateSqsClient();
    }

    public QueueWithDlq Queues { get; }

    public bool Fifo { get; }

    /// <summary>A journal path of this test's own (under the temp folder).</summary>
    public string Journal { get; }

    /// <summary>A plain client for the test's own calls.</summary>
    public AmazonSQSClient Sqs { get; }

    /// <summary>The termination samples: byte for byte what the agents send (../shared/samples, else the committed copies).</summary>
    public static IReadOnlyList<(string Name, string Body)> Samples()
    {
        var shared = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, "..", "shared", "samples", "termination"));
        var folder = Directory.Exists(shared) ? shared : SampleMessages.Folder("termination");
        return [.. Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileNameWithoutExtension(f), File.ReadAllText(f)))];
    }

    /// <summary>
    /// <paramref name="copies"/> distinct valid bodies per sample: copy k carries an extra field
    /// (newer agents send more; the parser ignores it), so SQS deduplication keeps them apart.
    /// </summary>
    public static IReadOnlyList<(string Name, string Body)> ValidBodies(int copies = 1) =>
        [.. Enumerable.Range(0, copies).SelectMany(k => Samples().Select(s => k == 0 ? s : ($"{s.Name}#{k}", "{\"redrive_copy\":" + k.ToString(CultureInfo.InvariantCulture) + "," + s.Body[1..])))];

    public static async Task<DlqScenario> CreateAsync(FauxqsFixture fauxqs, bool fifo, int maxReceiveCount = 3)
    {
        ArgumentNullException.ThrowIfNull(fauxqs);
        var queues = fifo
            ? await fauxqs.CreateFifoQueueWithDlqAsync("dlq-cli", maxReceiveCount)
            : await fauxqs.CreateStandardQueueWithDlqAsync("dlq-cli", maxReceiveCount);
        return new DlqScenario(fauxqs, queues, fifo, Path.Combine(Path.GetTempPath(), $"runs-fleet-redrive-test-{Guid.NewGuid():N}.jsonl"));
    }

    /// <summary>A scenario whose DLQ holds <paramref name="copies"/> valid bodies per sample, then the poison (FIFO: a group each).</summary>
    public static async Task<DlqScenario> CreateFilledAsync(FauxqsFixture fauxqs, bool fifo, int copies = 1)
    {
        var scenario = await CreateAsync(fauxqs, fifo);
        foreach (var (_, body) in ValidBodies(copies).Concat(Poison.Select(p => (p.Code, p.Body))))
        {
            await scenario.PutInDlqAsync(body);
        }

        return scenario;
    }

    /// <summary>The instance id of a termination body (its FIFO group, as the boot shim sets it).</summary>
    public static string InstanceOf(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("instance_id").GetString()!;
    }

    /// <summary>Puts <paramref name="body"/> straight into the DLQ (FIFO: in <paramref name="group"/>); returns its message id.</summary>
    public async Task<string> PutInDlqAsync(string body, string? group = null, Dictionary<string, MessageAttributeValue>? attributes = null)
    {
        var request = new SendMessageRequest { QueueUrl = Queues.DeadLetterQueueUrl, MessageBody = body, MessageAttributes = attributes };
        if (Fifo)
        {
            request.MessageGroupId = group ?? "g-" + Guid.NewGuid().ToString("N");
        }

        return (await Sqs.SendMessageAsync(request)).MessageId;
    }

    /// <summary>Sends to the source queue and receives it (visibility 0) until its redrive policy dead-letters it.</summary>
    public async Task<string> DeadLetterThroughSourceAsync(string body, string group)
    {
        var request = new SendMessageRequest { QueueUrl = Queues.QueueUrl, MessageBody = body };
        if (Fifo)
        {
            request.MessageGroupId = group;
        }

        var id = (await Sqs.SendMessageAsync(request)).MessageId;
        for (var receives = 0; receives < 20; receives++)
        {
            var got = (await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = Queues.QueueUrl, MaxNumberOfMessages = 10, VisibilityTimeout = 0 })).Messages ?? [];
            if (got.Count == 0)
            {
                return id;
            }
        }

        throw new InvalidOperationException("the message did not reach the dead-letter queue");
    }

    /// <summary>Visible and in-flight messages of a queue.</summary>
    public async Task<(int Visible, int InFlight)> CountsAsync(string queueUrl)
    {
        var attributes = (await Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])).Attributes;
        return (int.Parse(attributes["ApproximateNumberOfMessages"], CultureInfo.InvariantCulture), int.Parse(attributes["ApproximateNumberOfMessagesNotVisible"], CultureInfo.InvariantCulture));
    }

    /// <summary>Receives and deletes everything in a queue, in delivery order.</summary>
    public async Task<List<QueuedMessage>> DrainAsync(string queueUrl)
    {
        var drained = new List<QueuedMessage>();
        while (true)
        {
            var got = (await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                VisibilityTimeout = 60,
                MessageSystemAttributeNames = ["All"],
                MessageAttributeNames = ["All"],
            })).Messages ?? [];
            if (got.Count == 0)
            {
                return drained;
            }

            foreach (var message in got)
            {
                drained.Add(new QueuedMessage(message.MessageId, message.Body, message.Attributes?.GetValueOrDefault("MessageGroupId"), message.MessageAttributes ?? []));
                await Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }
    }

    /// <summary>The CLI over <paramref name="sqs"/> (default: a plain fauxqs client) with the bridge's queue variable set.</summary>
    public CliHarness Cli(IAmazonSQS? sqs = null, bool terminal = false) => new()
    {
        Sqs = sqs ?? Sqs,
        IsTerminal = terminal,
        Environment = { [BridgeOptions.TerminationQueueUrlVariable] = Queues.QueueUrl },
    };

    /// <summary>A client that breaks calls as <paramref name="faults"/> says.</summary>
    public AmazonSQSClient ClientWith(SqsFaults faults) => faults.Client(_fauxqs.ServiceUrl);

    public void Dispose()
    {
        Sqs.Dispose();
        File.Delete(Journal);
    }
}
