namespace RunsFleet.Activities.Preflight;

/// <summary>What the preflight answers for: each capability the worker or the bridge runs.</summary>
public enum PreflightCapability
{
    JobTermination,
    OrphanSweep,
    OrphanedJobSweep,
    StaleSsmSweep,
    OldJobArchival,
    PoolAudit,
    SqsBridge,
}

/// <summary>A capability's verdict.</summary>
public enum PreflightState
{
    /// <summary>Everything it needs is there.</summary>
    Ready,

    /// <summary>Something it needs is missing or wrong: the fix says what to do.</summary>
    NotReady,

    /// <summary>A check could not be made (no permission, no network): the fix says how to make it.</summary>
    Unchecked,
}

/// <summary>One problem found, with the one thing to do about it.</summary>
/// <param name="State">NotReady (a real problem) or Unchecked (the check itself failed).</param>
/// <param name="Problem">What is wrong, one sentence naming the resource.</param>
/// <param name="Fix">What to do: a command to run, or a setting to change.</param>
/// <param name="Terraform">For a change to runs-fleet's Terraform: where and what (the block), else null.</param>
public sealed record PreflightFinding(PreflightState State, string Problem, string Fix, string? Terraform = null)
{
    public static PreflightFinding NotReady(string problem, string fix, string? terraform = null) =>
        new(PreflightState.NotReady, problem, fix, terraform);

    public static PreflightFinding Unchecked(string problem, string fix) => new(PreflightState.Unchecked, problem, fix);
}

/// <summary>The verdict on one capability: ready, or its first problem and that problem's fix (the ONE fix:
/// fixing problems one at a time, each check run again, keeps every command exact).</summary>
/// <param name="Capability">The capability.</param>
/// <param name="State">Ready, NotReady or Unchecked (the worst of its findings).</param>
/// <param name="Problem">The first problem (null when ready).</param>
/// <param name="Fix">Its fix (null when ready).</param>
/// <param name="Terraform">The Terraform change for it, when there is one.</param>
/// <param name="MoreProblems">Further problems found behind the first (shown after it is fixed).</param>
/// <param name="Note">For a ready capability: a setting that turns part of it off, or what was not checked.</param>
public sealed record CapabilityReport(
    PreflightCapability Capability,
    PreflightState State,
    string? Problem,
    string? Fix,
    string? Terraform,
    int MoreProblems,
    string? Note)
{
    public bool IsReady => State == PreflightState.Ready;

    /// <summary>The report of a capability with these findings (NotReady ones first), and its note.</summary>
    public static CapabilityReport Of(
        PreflightCapability capability, IReadOnlyList<PreflightFinding> findings, string? note)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var first = findings.OrderBy(f => f.State == PreflightState.NotReady ? 0 : 1).FirstOrDefault();
        return first is null
            ? new CapabilityReport(capability, PreflightState.Ready, null, null, null, 0, note)
            : new CapabilityReport(
                capability, first.State, first.Problem, first.Fix, first.Terraform, findings.Count - 1, note);
    }
}
