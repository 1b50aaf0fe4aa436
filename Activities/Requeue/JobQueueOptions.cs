using System.ComponentModel.DataAnnotations;

namespace RunsFleet.Activities.Requeue;

/// <summary>Where a job is sent to be launched again: runs-fleet's main job queue.</summary>
public sealed class JobQueueOptions
{
    /// <summary>URL of runs-fleet's job queue (RUNS_FLEET_QUEUE_URL, runs-fleet's own variable,
    /// pkg/config/config.go:205), FIFO (".fifo") or standard. Unset: a failed bootstrap requeues
    /// nothing, as runs-fleet's handler does without a job queue (handler.go:216-218).</summary>
    [RegularExpression(@"^https?://[^\s]+\z", ErrorMessage = "must be an http(s) SQS queue URL")]
    public string? QueueUrl { get; set; }

    /// <summary>True when requeues can be sent.</summary>
    public bool Configured => !string.IsNullOrWhiteSpace(QueueUrl);

    /// <summary>True for a FIFO queue: runs-fleet decides by the ".fifo" suffix (pkg/queue/sqs.go:73).</summary>
    public bool Fifo => QueueUrl?.EndsWith(".fifo", StringComparison.Ordinal) == true;
}
