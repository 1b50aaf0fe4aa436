namespace RunsFleet.Tests.Infrastructure.Permissions;

/// <summary>
/// Maps an AWS SDK operation to the IAM action that authorizes it. Mostly "prefix:Operation";
/// batch APIs are authorized by their single-item action and a few S3 APIs by another name.
/// </summary>
public static class IamActionMap
{
    private static readonly Dictionary<string, string> ServicePrefixes = new(StringComparer.Ordinal)
    {
        ["Amazon.DynamoDBv2"] = "dynamodb",
        ["Amazon.SQS"] = "sqs",
        ["Amazon.SimpleSystemsManagement"] = "ssm",
        ["Amazon.EC2"] = "ec2",
        ["Amazon.S3"] = "s3",
        ["Amazon.SecurityToken"] = "sts",
    };

    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.Ordinal)
    {
        ["sqs:DeleteMessageBatch"] = "sqs:DeleteMessage",
        ["sqs:ChangeMessageVisibilityBatch"] = "sqs:ChangeMessageVisibility",
        ["sqs:SendMessageBatch"] = "sqs:SendMessage",
        ["s3:ListObjectsV2"] = "s3:ListBucket",
        ["s3:ListObjects"] = "s3:ListBucket",
        ["s3:GetObjectMetadata"] = "s3:GetObject",
        ["s3:DeleteObjects"] = "s3:DeleteObject",
        ["s3:CopyObject"] = "s3:PutObject",
        ["s3:InitiateMultipartUpload"] = "s3:PutObject",
        ["s3:UploadPart"] = "s3:PutObject",
        ["s3:CompleteMultipartUpload"] = "s3:PutObject",
    };

    /// <summary>The IAM action of an SDK operation; throws for a service this project has no mapping for.</summary>
    public static string ToIamAction(string serviceNamespace, string operation)
    {
        if (!ServicePrefixes.TryGetValue(serviceNamespace, out var prefix))
        {
            throw new ArgumentException(
                $"No IAM prefix known for SDK namespace '{serviceNamespace}' (operation {operation}): add it to {nameof(IamActionMap)} and grant it in Infrastructure/Permissions/ServicePermissions.cs.",
                nameof(serviceNamespace));
        }

        var action = prefix + ":" + operation;
        return Exceptions.TryGetValue(action, out var mapped) ? mapped : action;
    }

    /// <summary>The IAM actions of a set of scanned calls.</summary>
    public static SortedSet<string> ToIamActions(IEnumerable<AwsOperationCall> calls) =>
        new(calls.Select(call => ToIamAction(call.ServiceNamespace, call.Operation)), StringComparer.Ordinal);
}
