using System.Globalization;
using System.Text.Json;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.Tests.Support;

/// <summary>
/// xunit fixture running fauxqs (SQS + S3 on one port) on a free port.
/// Use as <c>IClassFixture&lt;FauxqsFixture&gt;</c>, then
/// <c>var queues = await fixture.CreateFifoQueueWithDlqAsync("terminations"); using var sqs = fixture.CreateSqsClient();</c>.
/// Queue and bucket names are unique per call, so parallel tests never share one.
/// </summary>
public sealed class FauxqsFixture : IAsyncLifetime
{
    private EmulatorProcess? _emulator;

    /// <summary>http://127.0.0.1:PORT of the running fauxqs (both SQS and S3).</summary>
    public string ServiceUrl => (_emulator ?? throw new InvalidOperationException("FauxqsFixture is not started.")).ServiceUrl;

    /// <summary>Starts fauxqs (installs Tests/Emulators on first use).</summary>
    public async Task InitializeAsync()
    {
        _emulator = await EmulatorProcess.StartAsync("fauxqs", EmulatorLaunch.Fauxqs);
    }

    /// <summary>Stops fauxqs.</summary>
    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    /// <summary>A real v4 SQS client for this fauxqs (dispose it in the test).</summary>
    public AmazonSQSClient CreateSqsClient() => AwsClients.Sqs(ServiceUrl);

    /// <summary>A real v4 S3 client (path-style) for this fauxqs (dispose it in the test).</summary>
    public AmazonS3Client CreateS3Client() => AwsClients.S3(ServiceUrl);

    /// <summary>
    /// Creates a FIFO queue (content-based deduplication) whose RedrivePolicy moves a message to a
    /// FIFO dead-letter queue after <paramref name="maxReceiveCount"/> receives.
    /// Names are <c>{baseName}-{unique}.fifo</c> and <c>{baseName}-{unique}-dlq.fifo</c>.
    /// </summary>
    public Task<QueueWithDlq> CreateFifoQueueWithDlqAsync(string baseName, int maxReceiveCount = 3, int visibilityTimeoutSeconds = 30) =>
        CreateQueueWithDlqAsync(baseName, fifo: true, maxReceiveCount, visibilityTimeoutSeconds);

    /// <summary>Same as <see cref="CreateFifoQueueWithDlqAsync"/> for standard queues.</summary>
    public Task<QueueWithDlq> CreateStandardQueueWithDlqAsync(string baseName, int maxReceiveCount = 3, int visibilityTimeoutSeconds = 30) =>
        CreateQueueWithDlqAsync(baseName, fifo: false, maxReceiveCount, visibilityTimeoutSeconds);

    /// <summary>Creates a bucket named <c>{name}-{unique}</c> (lower case) and returns the actual name.</summary>
    public async Task<string> CreateBucketAsync(string name)
    {
        var bucket = $"{name.ToLowerInvariant()}-{Guid.NewGuid():N}";
        if (bucket.Length > 63)
        {
            bucket = bucket[^63..].TrimStart('-');
        }

        using var s3 = CreateS3Client();
        await s3.PutBucketAsync(bucket);
        return bucket;
    }

    private async Task<QueueWithDlq> CreateQueueWithDlqAsync(string baseName, bool fifo, int maxReceiveCount, int visibilityTimeoutSeconds)
    {
        // SQS names are at most 80 characters including ".fifo"; keep the unique part whole.
        var unique = Guid.NewGuid().ToString("N")[..12];
        var stem = baseName.Length > 50 ? baseName[..50] : baseName;
        var suffix = fifo ? ".fifo" : string.Empty;
        using var sqs = CreateSqsClient();

        var dlqUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = $"{stem}-{unique}-dlq{suffix}",
            Attributes = QueueAttributes(fifo, visibilityTimeoutSeconds),
        })).QueueUrl;
        var dlqArn = (await sqs.GetQueueAttributesAsync(dlqUrl, ["QueueArn"])).QueueARN;

        var attributes = QueueAttributes(fifo, visibilityTimeoutSeconds);
        attributes["RedrivePolicy"] = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["deadLetterTargetArn"] = dlqArn,
            ["maxReceiveCount"] = maxReceiveCount.ToString(CultureInfo.InvariantCulture),
        });
        var queueUrl = (await sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = $"{stem}-{unique}{suffix}",
            Attributes = attributes,
        })).QueueUrl;

        return new QueueWithDlq(queueUrl, dlqUrl);
    }

    private static Dictionary<string, string> QueueAttributes(bool fifo, int visibilityTimeoutSeconds)
    {
        var attributes = new Dictionary<string, string>
        {
            ["VisibilityTimeout"] = visibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        };
        if (fifo)
        {
            attributes["FifoQueue"] = "true";
            attributes["ContentBasedDeduplication"] = "true";
        }

        return attributes;
    }
}

/// <summary>A queue and the dead-letter queue its RedrivePolicy points at.</summary>
/// <param name="QueueUrl">URL of the main queue.</param>
/// <param name="DeadLetterQueueUrl">URL of its dead-letter queue.</param>
public sealed record QueueWithDlq(string QueueUrl, string DeadLetterQueueUrl);
