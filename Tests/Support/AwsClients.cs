using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;

namespace RunsFleet.Tests.Support;

/// <summary>
/// Real AWS SDK v4 clients pointed at a loopback emulator or fake: <c>AwsClients.Ssm(fakeSsm.ServiceUrl)</c>.
/// Region us-east-1, credentials test/test. Pass <c>maxErrorRetry: 0</c> when a test wants an injected
/// error to surface at once instead of being retried by the SDK.
/// </summary>
public static class AwsClients
{
    /// <summary>Region every test client signs for.</summary>
    public const string Region = "us-east-1";

    /// <summary>Credentials every test client uses (emulators and fakes do not check signatures).</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("test", "test");

    /// <summary>DynamoDB client (JSON 1.0) for dynalite.</summary>
    public static AmazonDynamoDBClient DynamoDb(string serviceUrl, int? maxErrorRetry = null) =>
        new(Credentials, Configure(new AmazonDynamoDBConfig(), serviceUrl, maxErrorRetry));

    /// <summary>SQS client (JSON protocol) for fauxqs.</summary>
    public static AmazonSQSClient Sqs(string serviceUrl, int? maxErrorRetry = null) =>
        new(Credentials, Configure(new AmazonSQSConfig(), serviceUrl, maxErrorRetry));

    /// <summary>S3 client (path-style addressing) for fauxqs.</summary>
    public static AmazonS3Client S3(string serviceUrl, int? maxErrorRetry = null) =>
        new(Credentials, Configure(new AmazonS3Config { ForcePathStyle = true }, serviceUrl, maxErrorRetry));

    /// <summary>SSM client (JSON 1.1) for <see cref="FakeSsmServer"/>.</summary>
    public static AmazonSimpleSystemsManagementClient Ssm(string serviceUrl, int? maxErrorRetry = null) =>
        new(Credentials, Configure(new AmazonSimpleSystemsManagementConfig(), serviceUrl, maxErrorRetry));

    /// <summary>EC2 client (query protocol) for <see cref="FakeEc2Server"/>.</summary>
    public static AmazonEC2Client Ec2(string serviceUrl, int? maxErrorRetry = null) =>
        new(Credentials, Configure(new AmazonEC2Config(), serviceUrl, maxErrorRetry));

    private static T Configure<T>(T config, string serviceUrl, int? maxErrorRetry)
        where T : ClientConfig
    {
        config.ServiceURL = serviceUrl;
        config.AuthenticationRegion = Region;
        if (maxErrorRetry is { } retries)
        {
            config.MaxErrorRetry = retries;
        }

        return config;
    }
}
