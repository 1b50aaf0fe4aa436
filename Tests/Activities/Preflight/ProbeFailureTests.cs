using System.Net.Sockets;
using Amazon.Runtime;
using RunsFleet.Activities.Preflight;

namespace RunsFleet.Tests.Activities.Preflight;

/// <summary>A failed preflight read is told in an operator's words, never by the .NET exception's type name.</summary>
public sealed class ProbeFailureTests
{
    [Fact]
    public void An_aws_answer_keeps_its_error_code_and_text_on_one_line()
    {
        var denied = new AmazonServiceException("User: x is not authorized\nto perform: dynamodb:DescribeTable")
        {
            ErrorCode = "AccessDeniedException",
        };

        Assert.Equal(
            "AccessDeniedException: User: x is not authorized to perform: dynamodb:DescribeTable",
            ProbeFailure.Describe(denied));
    }

    [Fact]
    public void A_connection_failure_is_said_as_the_cli_says_it_even_when_the_sdk_wraps_it()
    {
        var refused = new HttpRequestException("Connection refused (127.0.0.1:9)", new SocketException(111));

        Assert.Equal(
            "connection failed: Connection refused (127.0.0.1:9)", ProbeFailure.Describe(refused));
        Assert.Equal(
            "connection failed: Connection refused (127.0.0.1:9)",
            ProbeFailure.Describe(new AmazonServiceException("Request failed", refused)));
    }

    [Fact]
    public void Missing_credentials_and_a_timeout_are_said_in_words()
    {
        var credentials = new AmazonClientException("Failed to resolve AWS credentials. The credential providers "
            + "used to search for credentials returned the following errors: ...");

        Assert.StartsWith("no AWS credentials were found", ProbeFailure.Describe(credentials), StringComparison.Ordinal);
        Assert.Equal("AWS did not answer in time", ProbeFailure.Describe(new TaskCanceledException()));
        Assert.Equal("AWS did not answer in time", ProbeFailure.Describe(new TimeoutException("slow")));
    }

    [Fact]
    public void Only_the_callers_own_cancellation_and_bugs_are_not_expected()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(ProbeFailure.IsExpected(new OperationCanceledException(), CancellationToken.None));
        Assert.False(ProbeFailure.IsExpected(new OperationCanceledException(), cancelled.Token));
        Assert.False(ProbeFailure.IsExpected(new InvalidOperationException(), CancellationToken.None));
        Assert.True(ProbeFailure.IsExpected(new IOException("reset"), CancellationToken.None));
    }
}
