namespace RunsFleet.Activities.Runners;

/// <summary>What DeleteRunnerParameters did.</summary>
/// <param name="Deleted">Parameters this call removed.</param>
/// <param name="AlreadyGone">Parameters that did not exist any more (counted as success).</param>
public sealed record RunnerParametersDeleted(int Deleted, int AlreadyGone);
