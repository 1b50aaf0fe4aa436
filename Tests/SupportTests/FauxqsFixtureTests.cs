using Amazon.S3.Model;
using Amazon.SQS.Model;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

public sealed class FauxqsFixtureTests(FauxqsFixture fauxqs) : IClassFixture<FauxqsFixture>
{
    [Fact]
    public async Task Fifo_queue_delivers_a_message_and_deduplicates_identical_bodies()
    {
        var queues = await fauxqs.CreateFifoQueueWithDlqAsync("terminations");
        using var sqs = fauxqs.CreateSqsClient();

        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queues.QueueUrl, MessageBody = "{\"a\":1}", MessageGroupId = "g" });
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queues.QueueUrl, MessageBody = "{\"a\":1}", MessageGroupId = "g" });
        var first = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queues.QueueUrl, MaxNumberOfMessages = 10 });
        await sqs.DeleteMessageAsync(queues.QueueUrl, Assert.Single(first.Messages).ReceiptHandle);
        var second = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queues.QueueUrl, MaxNumberOfMessages = 10 });

        Assert.EndsWith(".fifo", queues.QueueUrl, StringComparison.Ordinal);
        Assert.Equal("{\"a\":1}", first.Messages[0].Body);
        Assert.Empty(second.Messages ?? []);
    }

    [Fact]
    public async Task Fifo_message_moves_to_the_dead_letter_queue_after_max_receive_count()
    {
        var queues = await fauxqs.CreateFifoQueueWithDlqAsync("poison", maxReceiveCount: 2);
        using var sqs = fauxqs.CreateSqsClient();
        await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queues.QueueUrl, MessageBody = "bad", MessageGroupId = "g" });

        var receives = await ReceiveAndReleaseUntilEmptyAsync(sqs, queues.QueueUrl);
        var dead = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queues.DeadLetterQueueUrl, MaxNumberOfMessages = 10 });

        Assert.Equal(2, receives);
        Assert.Equal("bad", Assert.Single(dead.Messages).Body);
    }

    [Fact]
    public async Task Standard_message_moves_to_the_dead_letter_queue_after_max_receive_count()
    {
        var queues = await fauxqs.CreateStandardQueueWithDlqAsync("housekeeping", maxReceiveCount: 3);
        using var sqs = fauxqs.CreateSqsClient();
        await sqs.SendMessageAsync(queues.QueueUrl, "sweep");

        var receives = await ReceiveAndReleaseUntilEmptyAsync(sqs, queues.QueueUrl);
        var dead = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queues.DeadLetterQueueUrl, MaxNumberOfMessages = 10 });

        Assert.DoesNotContain(".fifo", queues.QueueUrl, StringComparison.Ordinal);
        Assert.Equal(3, receives);
        Assert.Equal("sweep", Assert.Single(dead.Messages).Body);
    }

    [Fact]
    public async Task Bucket_stores_objects_listed_by_prefix()
    {
        var bucket = await fauxqs.CreateBucketAsync("Archive");
        using var s3 = fauxqs.CreateS3Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "jobs/2026/01.json", ContentBody = "[1]" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "jobs/2026/02.json", ContentBody = "[2]" });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "other/x.json", ContentBody = "[]" });

        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "jobs/" });
        using var got = await s3.GetObjectAsync(bucket, "jobs/2026/02.json");
        using var reader = new StreamReader(got.ResponseStream);

        Assert.StartsWith("archive-", bucket, StringComparison.Ordinal);
        Assert.Equal(["jobs/2026/01.json", "jobs/2026/02.json"], listed.S3Objects.Select(o => o.Key).Order().ToArray());
        Assert.Equal("[2]", await reader.ReadToEndAsync());
    }

    // Receives the message, makes it visible again at once, and counts receives until the queue
    // stops handing it out (it has then been moved to the dead-letter queue).
    private static async Task<int> ReceiveAndReleaseUntilEmptyAsync(Amazon.SQS.IAmazonSQS sqs, string queueUrl)
    {
        var receives = 0;
        for (var i = 0; i < 10; i++)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 1 });
            if (response.Messages is not { Count: > 0 })
            {
                return receives;
            }

            receives++;
            await sqs.ChangeMessageVisibilityAsync(queueUrl, response.Messages[0].ReceiptHandle, 0);
        }

        return receives;
    }
}
