namespace RunsFleet.SqsBridge.Contracts;

/// <summary>One problem with a message: a code, the field it concerns and human text naming it.</summary>
/// <param name="Code">Stable reason code.</param>
/// <param name="Field">The field (e.g. "instance_id", "params.dry_run"), or null for the whole body.</param>
/// <param name="Reason">Human text, naming the field.</param>
public sealed record MessageRejection(RejectionCode Code, string? Field, string Reason)
{
    public override string ToString() => $"{Code}: {Reason}";
}
