using Amazon.SQS;
using RunsFleet.Benchmarks.Aws;

namespace RunsFleet.Benchmarks.Sqs;

/// <summary>Real v4 SQS clients pointed at the benchmark's fauxqs (which checks no signature).</summary>
internal static class SqsClients
{
    /// <summary>A client whose requests <paramref name="counter"/> sees (the consumers under measurement).</summary>
    public static AmazonSQSClient Counted(string serviceUrl, AwsRequestCounter counter) =>
        new(LoopbackClients.Credentials, LoopbackClients.Configure(new AmazonSQSConfig(), serviceUrl, counter));

    /// <summary>A client for set-up, filling and checks, outside every count.</summary>
    public static AmazonSQSClient Uncounted(string serviceUrl) =>
        new(LoopbackClients.Credentials, LoopbackClients.Configure(new AmazonSQSConfig(), serviceUrl, null));
}
