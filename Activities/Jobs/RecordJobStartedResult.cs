using System.Text.Json.Serialization;

namespace RunsFleet.Activities.Jobs;

/// <summary>What RecordJobStarted found and did.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordJobStartedOutcome>))]
public enum RecordJobStartedOutcome
{
    /// <summary>This call moved the record from launched or claiming to running and wrote started_at
    /// (releases before issue 13 wrote started_at only).</summary>
    Recorded,

    /// <summary>The record is already running (a redelivered report); its started_at was left as it was.</summary>
    AlreadyRecorded,

    /// <summary>The record belongs to another instance; nothing changed.</summary>
    OwnedByOtherInstance,

    /// <summary>There is no record for the job; nothing changed.</summary>
    NotFound,

    /// <summary>The job already ended; a late start report changes nothing.</summary>
    AlreadyTerminal,

    /// <summary>The record is this instance's but in a status a start report does not move (orphaned,
    /// requeued, terminating, none or one this code does not know); nothing changed.</summary>
    NotStartable,
}

/// <summary>Result of RecordJobStarted.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Pool">The record's pool, when there is a record and it has one.</param>
/// <param name="RecordedStatus">The record's status (null without a record).</param>
/// <param name="StartedAt">The record's started_at after the call (null when it has none).</param>
/// <param name="CreatedAt">
/// For <see cref="RecordJobStartedOutcome.Recorded"/>: the record's created_at (when runs-fleet
/// assigned the instance), null when absent or unreadable. Null for every other outcome.
/// </param>
/// <param name="InstanceType">For Recorded: the record's instance_type (null when absent or empty).</param>
/// <param name="WarmPoolHit">For Recorded: the record's warm_pool_hit.</param>
/// <param name="HotPoolHit">For Recorded: the record's hot_pool_hit.</param>
public sealed record RecordJobStartedResult(
    RecordJobStartedOutcome Outcome,
    string? Pool,
    string? RecordedStatus,
    string? StartedAt,
    DateTimeOffset? CreatedAt = null,
    string? InstanceType = null,
    bool WarmPoolHit = false,
    bool HotPoolHit = false);
