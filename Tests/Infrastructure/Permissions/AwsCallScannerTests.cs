namespace RunsFleet.Tests.Infrastructure.Permissions;

public class AwsCallScannerTests
{
    private static IReadOnlyList<AwsOperationCall> ScanSample() =>
        AwsCallScanner.Scan(typeof(ScannerSample).Assembly.Location, name => name == typeof(ScannerSample).FullName);

    [Fact]
    public void Finds_exactly_the_operations_the_sample_calls_including_async_state_machines_lambdas_and_paginators()
    {
        var operations = ScanSample().Select(call => $"{call.ServiceNamespace}:{call.Operation}").ToHashSet();

        Assert.Equal(
            new SortedSet<string>
            {
                "Amazon.EC2:DescribeInstances",
                "Amazon.SQS:DeleteMessageBatch",
                "Amazon.SQS:GetQueueAttributes",
                "Amazon.SQS:ReceiveMessage",
            },
            new SortedSet<string>(operations));
    }

    [Fact]
    public void Attributes_calls_in_async_methods_to_their_compiler_generated_state_machine()
    {
        var receive = Assert.Single(ScanSample(), call => call.Operation == "ReceiveMessage");

        Assert.Contains("<ReceiveAsync>", receive.Caller, StringComparison.Ordinal);
        Assert.EndsWith(".MoveNext", receive.Caller, StringComparison.Ordinal);
    }

    [Fact]
    public void Maps_the_sample_to_its_iam_actions_with_batch_calls_under_their_single_item_action()
    {
        Assert.Equal(
            ["ec2:DescribeInstances", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
            IamActionMap.ToIamActions(ScanSample()));
    }

    [Fact]
    public void Type_filter_excludes_everything_else()
    {
        Assert.Empty(AwsCallScanner.Scan(typeof(ScannerSample).Assembly.Location, name => name == typeof(AwsCallScannerTests).FullName));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x2A }, new int[0])] // nop, ret
    [InlineData(new byte[] { 0x28, 0x01, 0x00, 0x00, 0x0A, 0x2A }, new[] { 0x0A000001 })] // call
    [InlineData(new byte[] { 0x20, 0x28, 0x00, 0x00, 0x0A, 0x6F, 0x02, 0x00, 0x00, 0x0A }, new[] { 0x0A000002 })] // ldc.i4 whose operand looks like a call, then callvirt
    [InlineData(new byte[] { 0x45, 0x02, 0x00, 0x00, 0x00, 0x28, 0, 0, 0, 0x28, 0, 0, 0, 0xFE, 0x06, 0x03, 0x00, 0x00, 0x06 }, new[] { 0x06000003 })] // switch with targets that look like calls, then ldftn
    [InlineData(new byte[] { 0xFE, 0x0C, 0x28, 0x00, 0x72, 0x28, 0x00, 0x00, 0x70 }, new int[0])] // ldloc with a call-like operand, ldstr with a call-like token
    public void Decodes_operands_so_operand_bytes_are_never_taken_for_calls(byte[] il, int[] expectedTokens)
    {
        var tokens = AwsCallScanner.CalledMethodTokens(il);

        Assert.Equal(expectedTokens, tokens);
    }

    [Theory]
    [InlineData("Amazon.DynamoDBv2", "UpdateItem", "dynamodb:UpdateItem")]
    [InlineData("Amazon.DynamoDBv2", "BatchWriteItem", "dynamodb:BatchWriteItem")]
    [InlineData("Amazon.SQS", "DeleteMessageBatch", "sqs:DeleteMessage")]
    [InlineData("Amazon.SQS", "ChangeMessageVisibilityBatch", "sqs:ChangeMessageVisibility")]
    [InlineData("Amazon.SQS", "SendMessageBatch", "sqs:SendMessage")]
    [InlineData("Amazon.SQS", "ReceiveMessage", "sqs:ReceiveMessage")]
    [InlineData("Amazon.S3", "ListObjectsV2", "s3:ListBucket")]
    [InlineData("Amazon.S3", "PutObject", "s3:PutObject")]
    [InlineData("Amazon.SimpleSystemsManagement", "DeleteParameters", "ssm:DeleteParameters")]
    [InlineData("Amazon.EC2", "TerminateInstances", "ec2:TerminateInstances")]
    public void Maps_sdk_operations_to_iam_actions(string service, string operation, string action)
    {
        Assert.Equal(action, IamActionMap.ToIamAction(service, operation));
    }

    [Fact]
    public void An_unmapped_service_fails_with_a_message_that_says_what_to_do()
    {
        var error = Assert.Throws<ArgumentException>(() => IamActionMap.ToIamAction("Amazon.CloudWatchLogs", "PutLogEvents"));

        Assert.Contains("ServicePermissions", error.Message, StringComparison.Ordinal);
    }
}
