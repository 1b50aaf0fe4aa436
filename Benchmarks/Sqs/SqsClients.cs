using Amazon.Runtime;
using Amazon.SQS;

namespace RunsFleet.Benchmarks.Sqs;

/// <summary>Real v4 SQS clients pointed at the benchmark's fauxqs (which checks no signature).</summary>
internal static class SqsClients
{
    private static readonly BasicAWSCredentials Credentials = new("benchmark", "benchmark");

    /// <summary>A client whose requests <paramref name="counter"/> sees (the consumers under measurement).</summary>
    public static AmazonSQSClient Counted(string serviceUrl, SqsRequestCounter counter) =>
        new(Credentials, Config(serviceUrl, counter));

    /// <summary>A client for set-up, filling and checks, outside every count.</summary>
    public static AmazonSQSClient Uncounted(string serviceUrl) => new(Credentials, Config(serviceUrl, null));

    private static AmazonSQSConfig Config(string serviceUrl, SqsRequestCounter? counter)
    {
        var config = new AmazonSQSConfig
        {
            ServiceURL = serviceUrl,
            AuthenticationRegion = "us-east-1",
        };
        if (counter is not null)
        {
            config.HttpClientFactory = counter;
        }

        return config;
    }
}
