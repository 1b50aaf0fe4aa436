using RunsFleet.Hosting;
using Amazon.SQS;
using Amazon.SQS.Model;
using RunsFleet.Cli.Common;

namespace RunsFleet.Cli.Dlq;

/// <summary>How an SQS message move task ended.</summary>
/// <param name="Status">COMPLETED, FAILED or CANCELLED.</param>
/// <param name="Moved">Messages it moved.</param>
/// <param name="ToMove">Messages it set out to move.</param>
/// <param name="FailureReason">Why it failed, if it did.</param>
internal sealed record MoveTaskResult(string Status, long Moved, long ToMove, string? FailureReason)
{
    public bool Completed => Status == "COMPLETED";
}

/// <summary>Moving everything: SQS's own redrive (StartMessageMoveTask back to the source queue, then
/// ListMessageMoveTasks until it ends). SQS moves each message once and keeps group ids; where
/// the action does not exist (e.g. an emulator) the caller falls back to send-then-delete.</summary>
internal static class MessageMoveTask
{
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "InvalidAction", "UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation",
            "UnknownOperationException",
    };

    /// <summary>Runs a move task and follows it; null when SQS here has no move tasks (a note says so).</summary>
    public static async Task<MoveTaskResult?> TryRunAsync(
        IAmazonSQS sqs, DeadLetterQueue dlq, RedriveProgress progress, CliContext context,
            CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentNullException.ThrowIfNull(dlq);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(context);
        string handle;
        try
        {
            handle = (await sqs.StartMessageMoveTaskAsync(
                new StartMessageMoveTaskRequest { SourceArn = dlq.Arn, DestinationArn = dlq.SourceArn },
                cancellationToken).ConfigureAwait(false)).TaskHandle;
        }
        catch (AmazonSQSException e) when (e.ErrorCode is { } code && Unsupported.Contains(code))
        {
            progress.Note($"note: SQS here has no StartMessageMoveTask ({e.ErrorCode}); moving message by message "
                + $"(send, then delete)");
            return null;
        }

        try
        {
            while (true)
            {
                await Task.Delay(context.WatchInterval, context.Time, cancellationToken).ConfigureAwait(false);
                var tasks = (await sqs.ListMessageMoveTasksAsync(
                    new ListMessageMoveTasksRequest { SourceArn = dlq.Arn, MaxResults = 10 },
                    cancellationToken).ConfigureAwait(false)).Results ?? [];
                // Only a running task carries its handle; the newest (first) is ours once it ended.
                var task = tasks.FirstOrDefault(t => t.TaskHandle == handle) ?? tasks.FirstOrDefault();
                if (task is null)
                {
                    continue;
                }

                var moved = task.ApproximateNumberOfMessagesMoved ?? 0;
                var toMove = task.ApproximateNumberOfMessagesToMove ?? moved;
                progress.MoveTask(moved, toMove);
                if (task.Status is "COMPLETED" or "FAILED" or "CANCELLED")
                {
                    return new MoveTaskResult(task.Status, moved, toMove, task.FailureReason);
                }
            }
        }
        catch (OperationCanceledException e)
        {
            throw new CliException(
                ExitCodes.Interrupted,
                $"interrupted: the SQS move task keeps running; follow it with 'aws sqs list-message-move-tasks "
                    + $"--source-arn {dlq.Arn}'",
                e);
        }
    }
}
