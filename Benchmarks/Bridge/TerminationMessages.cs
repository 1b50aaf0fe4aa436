using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace RunsFleet.Benchmarks.Bridge;

/// <summary>
/// Fills a queue with valid termination messages shaped like the runs-fleet agent's (snake_case
/// fields, job id as a string, extra fields the bridge ignores), each about its own job and
/// instance so every message maps to its own workflow id. Timestamps keep 7 fraction digits or
/// fewer and no Go zero time, so the bodies are valid for the parser before and after issue 7.
/// </summary>
internal static class TerminationMessages
{
    private const int SqsBatchLimit = 10;
    private const int SendsInFlight = 8;
    private const long FirstJobId = 59_112_000_000;
    private static readonly DateTimeOffset FirstStart = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Sends messages <paramref name="first"/> .. first+count-1 with SendMessageBatch (10 per call,
    /// a few calls in flight). On a FIFO queue each message is its own group, as each instance is.
    /// </summary>
    public static async Task FillAsync(IAmazonSQS sqs, BenchmarkQueue queue, long first, int count, CancellationToken cancellationToken)
    {
        var batches = Enumerable.Range(0, count).Select(i => first + i).Chunk(SqsBatchLimit);
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = SendsInFlight, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                var response = await sqs.SendMessageBatchAsync(
                    new SendMessageBatchRequest
                    {
                        QueueUrl = queue.Url,
                        Entries = [.. batch.Select((n, i) => Entry(queue.Kind, n, i))],
                    },
                    token);
                if (response.Failed is { Count: > 0 } failed)
                {
                    throw new InvalidOperationException(
                        $"Filling the {queue.Name} queue: {failed.Count} of {batch.Length} sends failed, e.g. {failed[0].Code}: {failed[0].Message}");
                }
            });
    }

    /// <summary>The body of message number <paramref name="n"/>: success, failure, timeout or interrupted.</summary>
    public static string Body(long n)
    {
        var jobId = (FirstJobId + n).ToString(CultureInfo.InvariantCulture);
        var instanceId = InstanceId(n);
        var started = FirstStart.AddSeconds(n % 86_400).AddTicks(5_122_079);
        var seconds = 30 + (n % 900);
        var completed = started.AddSeconds(seconds).AddTicks(9_041_300);
        var startedAt = started.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var completedAt = completed.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var common = $$"""
            "instance_id":"{{instanceId}}","job_id":"{{jobId}}","duration_seconds":{{seconds}},"started_at":"{{startedAt}}","completed_at":"{{completedAt}}"
            """;
        return (n % 4) switch
        {
            0 => $$"""{{{common}},"status":"success","exit_code":0,"tool_cache_misses":["node/20.18.1/x64"],"cache_interception":"engaged","log_upload":"uploaded","cache_bytes_written":73400320}""",
            1 => $$"""{{{common}},"status":"failure","exit_code":2,"error":"exit status 2: make \u003ctest\u003e \u0026\u0026 deploy","cache_interception":"failed","log_upload":"partial"}""",
            2 => $$"""{{{common}},"status":"timeout","exit_code":-1,"error":"max runtime 360m exceeded"}""",
            _ => $$"""{{{common}},"status":"interrupted","exit_code":-1,"interrupted_by":"terminated","log_upload":"skipped"}""",
        };
    }

    // 17 lowercase hex digits, like every EC2 instance id of today.
    private static string InstanceId(long n) => "i-" + (0x0a1b_0000_0000_0000L + n).ToString("x17", CultureInfo.InvariantCulture);

    private static SendMessageBatchRequestEntry Entry(QueueKind kind, long n, int index)
    {
        var entry = new SendMessageBatchRequestEntry($"m{index.ToString(CultureInfo.InvariantCulture)}", Body(n));
        if (kind == QueueKind.Fifo)
        {
            // Content-based dedup gives the deduplication id; the group is the instance.
            entry.MessageGroupId = InstanceId(n);
        }

        return entry;
    }
}
