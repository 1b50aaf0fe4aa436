using System.Text.Json.Serialization;

namespace RunsFleet.Activities.Jobs;

/// <summary>What CompleteJob found and did.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CompleteJobOutcome>))]
public enum CompleteJobOutcome
{
    /// <summary>This call moved the record to its terminal status.</summary>
    Completed,

    /// <summary>The record was already terminal; nothing changed (a duplicate or late report).</summary>
    AlreadyTerminal,

    /// <summary>The record belongs to another instance; nothing changed.</summary>
    OwnedByOtherInstance,

    /// <summary>There is no record for the job; nothing changed.</summary>
    NotFound,
}

/// <summary>Result of CompleteJob.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Pool">The record's pool, when there is a record and it has one.</param>
/// <param name="RecordedStatus">The record's status after the call (null without a record).</param>
/// <param name="RecordInstanceId">The instance the record belongs to (null without a record).</param>
public sealed record CompleteJobResult(
    CompleteJobOutcome Outcome,
    string? Pool,
    string? RecordedStatus,
    string? RecordInstanceId);
