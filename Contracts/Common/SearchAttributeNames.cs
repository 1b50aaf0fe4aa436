namespace RunsFleet.Contracts.Common;

/// <summary>Names of the custom search attributes (wire names: registered on the namespace, set by the
/// starters). The workflows' typed keys are built from them (RunsFleetSearchAttributes).</summary>
public static class SearchAttributeNames
{
    public const string JobId = "RunsFleetJobId";
    public const string InstanceId = "RunsFleetInstanceId";
    public const string Pool = "RunsFleetPool";
    public const string SweepType = "RunsFleetSweepType";
}
