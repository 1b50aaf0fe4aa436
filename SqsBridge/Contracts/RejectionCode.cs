namespace RunsFleet.SqsBridge.Contracts;

/// <summary>Why a message was rejected (stable codes for logs and alerts).</summary>
public enum RejectionCode
{
    /// <summary>The body is larger than the configured limit (checked before parsing).</summary>
    Oversized,

    /// <summary>The body is not valid JSON (or repeats a property).</summary>
    NotJson,

    /// <summary>The JSON is not an object.</summary>
    NotAnObject,

    /// <summary>A required field is absent, null or empty.</summary>
    MissingField,

    /// <summary>A field has the wrong JSON type.</summary>
    WrongType,

    /// <summary>instance_id is not i- followed by 8 or 17 lowercase hex digits.</summary>
    MalformedInstanceId,

    /// <summary>job_id is absent or empty on a started message (every other status may omit it).</summary>
    MissingJobId,

    /// <summary>job_id is not a positive integer.</summary>
    InvalidJobId,

    /// <summary>status is not one the system knows.</summary>
    UnknownStatus,

    /// <summary>A timestamp is not RFC 3339 (any number of fractional digits is fine) or is outside what .NET
    /// holds.</summary>
    InvalidTimestamp,

    /// <summary>completed_at is before started_at (both present; Go's zero time counts as absent).</summary>
    CompletedBeforeStarted,

    /// <summary>A value is out of its allowed range.</summary>
    OutOfRange,

    /// <summary>task_type names no sweep.</summary>
    UnknownTaskType,

    /// <summary>params holds a key the sweep does not know (a typo must never run a sweep with defaults).</summary>
    UnknownParam,

    /// <summary>A field that must be exact (an id, status, timestamp, task type or param), or a property
    /// name, holds a lone UTF-16 surrogate escape such as "\ud83d", which is not text. (Free text
    /// such as error keeps the message, with U+FFFD in place of each lone surrogate.)</summary>
    InvalidText,

    /// <summary>The parser hit something it did not foresee; the message is kept for a person to look at.</summary>
    Unreadable,
}
