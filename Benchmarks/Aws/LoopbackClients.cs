using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;

namespace RunsFleet.Benchmarks.Aws;

/// <summary>
/// Real v4 AWS clients pointed at the benchmark's emulators and fakes (none checks signatures).
/// A client given a counter is measured; one without is for seeding and checks, outside every count.
/// </summary>
internal static class LoopbackClients
{
    /// <summary>The credentials every loopback client signs with.</summary>
    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("benchmark", "benchmark");

    public static AmazonDynamoDBClient DynamoDb(string serviceUrl, AwsRequestCounter? counter = null) =>
        new(Credentials, Configure(new AmazonDynamoDBConfig(), serviceUrl, counter));

    public static AmazonEC2Client Ec2(string serviceUrl, AwsRequestCounter? counter = null) =>
        new(Credentials, Configure(new AmazonEC2Config(), serviceUrl, counter));

    public static AmazonSimpleSystemsManagementClient Ssm(string serviceUrl, AwsRequestCounter? counter = null) =>
        new(Credentials, Configure(new AmazonSimpleSystemsManagementConfig(), serviceUrl, counter));

    /// <summary>S3 of fauxqs, path-style.</summary>
    public static AmazonS3Client S3(string serviceUrl, AwsRequestCounter? counter = null) =>
        new(Credentials, Configure(new AmazonS3Config { ForcePathStyle = true }, serviceUrl, counter));

    /// <summary>Points <paramref name="config"/> at <paramref name="serviceUrl"/>; counts its requests when given a counter.</summary>
    public static T Configure<T>(T config, string serviceUrl, AwsRequestCounter? counter)
        where T : ClientConfig
    {
        ArgumentNullException.ThrowIfNull(config);
        config.ServiceURL = serviceUrl;
        config.AuthenticationRegion = "us-east-1";
        if (counter is not null)
        {
            config.HttpClientFactory = counter;
        }

        return config;
    }
}
