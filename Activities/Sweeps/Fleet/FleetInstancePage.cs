namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>One DescribeInstances page, flattened over reservations.</summary>
/// <param name="Instances">The instances on the page.</param>
/// <param name="NextToken">Token of the next page; null on the last one.</param>
internal sealed record FleetInstancePage(IReadOnlyList<FleetInstance> Instances, string? NextToken);
