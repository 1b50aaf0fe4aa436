using System.Text.Json.Serialization;

namespace RunsFleet.Activities.Jobs;

/// <summary>What RecordJobStarted found and did.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RecordJobStartedOutcome>))]
public enum RecordJobStartedOutcome
{
    /// <summary>This call wrote started_at.</summary>
    Recorded,

    /// <summary>started_at was already set; it was left as it was.</summary>
    AlreadyRecorded,

    /// <summary>The record belongs to another instance; nothing changed.</summary>
    OwnedByOtherInstance,

    /// <summary>There is no record for the job; nothing changed.</summary>
    NotFound,

    /// <summary>The job already ended; a late start report changes nothing.</summary>
    AlreadyTerminal,
}

/// <summary>Result of RecordJobStarted.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Pool">The record's pool, when there is a record and it has one.</param>
/// <param name="RecordedStatus">The record's status (null without a record).</param>
/// <param name="StartedAt">The record's started_at after the call (null when it has none).</param>
public sealed record RecordJobStartedResult(
    RecordJobStartedOutcome Outcome,
    string? Pool,
    string? RecordedStatus,
    string? StartedAt);
