using RunsFleet.SqsBridge.Starting;
using Temporalio.Exceptions;
using Code = Temporalio.Exceptions.RpcException.StatusCode;

namespace RunsFleet.Tests.SqsBridge.Starting;

/// <summary>Every way a start can fail has a decided answer: retry in place, or stop receiving.</summary>
public sealed class StartFailuresTests
{
    [Theory]
    [InlineData(Code.Unavailable, StartFailureKind.Transient)]
    [InlineData(Code.DeadlineExceeded, StartFailureKind.Transient)]
    [InlineData(Code.ResourceExhausted, StartFailureKind.Transient)]
    [InlineData(Code.Aborted, StartFailureKind.Transient)]
    [InlineData(Code.Internal, StartFailureKind.Transient)]
    [InlineData(Code.Unknown, StartFailureKind.Transient)]
    [InlineData(Code.Cancelled, StartFailureKind.Transient)]
    [InlineData(Code.DataLoss, StartFailureKind.Transient)]
    [InlineData(Code.InvalidArgument, StartFailureKind.Refused)]
    [InlineData(Code.NotFound, StartFailureKind.Refused)]
    [InlineData(Code.FailedPrecondition, StartFailureKind.Refused)]
    [InlineData(Code.PermissionDenied, StartFailureKind.Refused)]
    [InlineData(Code.Unauthenticated, StartFailureKind.Refused)]
    [InlineData(Code.Unimplemented, StartFailureKind.Refused)]
    [InlineData(Code.OutOfRange, StartFailureKind.Refused)]
    [InlineData(Code.AlreadyExists, StartFailureKind.Refused)]
    public void Each_grpc_status_of_a_failed_start_has_a_decided_kind(Code code, StartFailureKind kind)
    {
        var failure = StartFailures.Classify(new RpcException(code, "server said so", null));

        Assert.Equal(kind, failure.Kind);
        Assert.Equal($"{code}: server said so", failure.Cause);
    }

    [Fact]
    public void Every_status_code_the_sdk_defines_is_decided_explicitly()
    {
        // A code added to the SDK must be placed in the table on purpose, not fall to the default.
        var decided = new[]
        {
            Code.OK, Code.Cancelled, Code.Unknown, Code.InvalidArgument, Code.DeadlineExceeded, Code.NotFound, Code.AlreadyExists,
            Code.PermissionDenied, Code.ResourceExhausted, Code.FailedPrecondition, Code.Aborted, Code.OutOfRange, Code.Unimplemented,
            Code.Internal, Code.Unavailable, Code.DataLoss, Code.Unauthenticated,
        };

        Assert.Equal(Enum.GetValues<Code>().Order(), decided.Order());
    }

    [Theory]
    [InlineData(typeof(HttpRequestException))]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(TimeoutException))]
    [InlineData(typeof(TaskCanceledException))]
    [InlineData(typeof(InvalidOperationException))] // the lazy client's "Connection failed"
    public void Transport_trouble_before_any_answer_is_transient(Type exceptionType)
    {
        var exception = (Exception)Activator.CreateInstance(exceptionType, "no route")!;

        Assert.Equal(StartFailureKind.Transient, StartFailures.Classify(exception).Kind);
    }

    [Fact]
    public void A_fault_the_bridge_does_not_understand_stops_receiving_rather_than_retrying_blindly()
    {
        var failure = StartFailures.Classify(new NotSupportedException("payload converter cannot encode this"));

        Assert.Equal(StartFailureKind.Refused, failure.Kind);
        Assert.Contains("NotSupportedException", failure.Cause, StringComparison.Ordinal);
    }
}
