namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>EC2 tags runs-fleet puts on the instances it launches.</summary>
internal static class FleetTags
{
    /// <summary>Every instance runs-fleet launched carries runs-fleet:managed=true.</summary>
    public const string Managed = "runs-fleet:managed";

    /// <summary>An operator sets runs-fleet:protected=true to keep an instance out of every sweep.</summary>
    public const string Protected = "runs-fleet:protected";

    /// <summary>Warm-pool instances carry the name of their pool.</summary>
    public const string Pool = "runs-fleet:pool";

    /// <summary>Tag value meaning "yes".</summary>
    public const string True = "true";
}
