using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.Tests.Infrastructure.Permissions;

/// <summary>
/// A known set of AWS calls in the shapes real activities use (await in an async method, a call
/// inside a lambda, a concrete client, a paginator), for testing <see cref="AwsCallScanner"/>.
/// Never executed.
/// </summary>
internal sealed class ScannerSample(IAmazonSQS sqs, AmazonSQSClient concreteSqs, IAmazonEC2 ec2)
{
    public async Task<int> ReceiveAsync(string queueUrl)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl });
        return response.Messages?.Count ?? 0;
    }

    public Func<Task> DeleteLater(string queueUrl, string receipt) =>
        () => sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = [new DeleteMessageBatchRequestEntry("1", receipt)],
        });

    public Task<GetQueueAttributesResponse> AttributesAsync(string queueUrl) =>
        concreteSqs.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = queueUrl });

    public async Task<int> CountInstancesAsync()
    {
        var count = 0;
        await foreach (var reservation in ec2.Paginators.DescribeInstances(new DescribeInstancesRequest()).Reservations)
        {
            count += reservation.Instances?.Count ?? 0;
        }

        return count;
    }

    // Not AWS operations: configuration access and disposal.
    public string? Region() => sqs.Config.RegionEndpoint?.SystemName;

    public void Dispose() => concreteSqs.Dispose();
}
