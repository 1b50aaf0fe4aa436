using System.Text.Json;
using Amazon.SQS.Model;
using RunsFleet.Activities.Preflight;
using RunsFleet.Cli.Common;
using RunsFleet.Cli.Dlq;
using RunsFleet.Cli.Doctor;

namespace RunsFleet.Tests.Cli.Common;

/// <summary>The documented --output json answers stay what the positional records wrote, byte for byte (the
/// expected texts were written by main at a4b2c04 from the same values).</summary>
public sealed class JsonAnswerTests
{
    private static readonly DateTimeOffset Sent = new(2026, 11, 30, 16, 2, 11, TimeSpan.Zero);

    private static readonly DlqMessage Message = new()
    {
        MessageId = "m-1",
        ReceiptHandle = "rh-1",
        Body = "{\"x\":1}",
        GroupId = "g",
        DeduplicationId = null,
        ReceiveCount = 4,
        SentAt = Sent,
        Attributes = new Dictionary<string, MessageAttributeValue>
        {
            ["k"] = new() { DataType = "String", StringValue = "v" },
            ["n"] = new() { DataType = "Number" },
        },
        Verdict = new DlqVerdict(DlqVerdict.Valid, null),
    };

    [Fact]
    public void Doctor_names_what_it_checked()
    {
        var variables = new Dictionary<string, string?>
        {
            ["RUNS_FLEET_JOB_ARCHIVE_BUCKET"] = "arch",
            ["RUNS_FLEET_TERMINATION_QUEUE_URL"] = "http://q/t",
        };
        var settings = PreflightSettings.FromEnvironment(name => variables.GetValueOrDefault(name));

        Assert.Equal("""
            {
              "jobsTable": "runs-fleet-jobs",
              "instanceIdIndex": "instance-id-index",
              "activeJobsIndex": "status-created_at-index",
              "completedAtIndex": "completed_at-index",
              "poolsTable": "runs-fleet-pools",
              "archiveBucket": "arch",
              "reportBucket": null,
              "terminationQueueUrl": "http://q/t",
              "housekeepingQueueUrl": null
            }
            """, Json(new DoctorChecked(settings)));
    }

    [Fact]
    public void Dlq_show_writes_a_message_whole()
    {
        Assert.Equal("""
            {
              "messageId": "m-1",
              "reason": "valid",
              "detail": null,
              "groupId": "g",
              "deduplicationId": null,
              "receiveCount": 4,
              "sentAt": "2026-11-30T16:02:11+00:00",
              "attributes": {
                "k": "v",
                "n": null
              },
              "body": "{\u0022x\u0022:1}"
            }
            """, Json(new DlqShownMessage(Message)));
    }

    [Fact]
    public void Dlq_list_counts_per_reason()
    {
        var dlq = new DeadLetterQueue(BridgeQueue.Termination, "https://q/t", "arn:aws:sqs:us-east-1:1:t",
            "https://q/t-dlq", "arn:aws:sqs:us-east-1:1:t-dlq");
        var rejected = Message with { MessageId = "m-2", SentAt = Sent.AddHours(1),
            Verdict = new DlqVerdict("NotJson", "not JSON") };
        var snapshot = new DlqSnapshot(dlq, [Message, rejected], NotRead: 1);

        Assert.Equal("""
            {
              "queue": "termination",
              "deadLetterQueue": "t-dlq",
              "sourceQueue": "t",
              "fifo": false,
              "read": 2,
              "notRead": 1,
              "reasons": [
                {
                  "reason": "valid",
                  "messages": 1,
                  "oldestSentAt": "2026-11-30T16:02:11+00:00",
                  "newestSentAt": "2026-11-30T16:02:11+00:00"
                },
                {
                  "reason": "NotJson",
                  "messages": 1,
                  "oldestSentAt": "2026-11-30T17:02:11+00:00",
                  "newestSentAt": "2026-11-30T17:02:11+00:00"
                }
              ],
              "oldestSentAt": "2026-11-30T16:02:11+00:00",
              "newestSentAt": "2026-11-30T17:02:11+00:00"
            }
            """, Json(new DlqListReport(snapshot)));
    }

    [Fact]
    public void Dlq_redrive_sums_up_what_moved()
    {
        var dlq = new DeadLetterQueue(BridgeQueue.Termination, "https://q/t", "arn:aws:sqs:us-east-1:1:t",
            "https://q/t-dlq", "arn:aws:sqs:us-east-1:1:t-dlq");
        var request = new RedriveRequest(BridgeQueue.Termination, Reason: null, Max: 10, DryRun: false, Journal: null);
        var counts = new RedriveCounts { Chosen = 5, Moved = 3, Resumed = 1, NotSent = 1, NotDeleted = 2, NotChosen = 4 };

        Assert.Equal("""
            {
              "deadLetterQueue": "t-dlq",
              "sourceQueue": "t",
              "selection": "all",
              "method": "send-then-delete",
              "dryRun": false,
              "chosen": 5,
              "moved": 3,
              "resumed": 1,
              "notSent": 1,
              "notDeleted": 2,
              "notChosen": 4,
              "notRead": 6,
              "journal": "/tmp/j",
              "failed": 3
            }
            """, Json(new RedriveSummary(dlq, request, DlqRedriveCommand.SendThenDeleteMethod, counts, 6, "/tmp/j")));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, CliOutput.Json).ReplaceLineEndings("\n");
}
