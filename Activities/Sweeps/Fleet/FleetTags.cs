namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>
/// EC2 tags runs-fleet puts on the instances it launches (pkg/fleet/fleet.go buildTags) and on its AMI builders.
/// </summary>
internal static class FleetTags
{
    /// <summary>Every instance runs-fleet launched carries runs-fleet:managed=true.</summary>
    public const string Managed = "runs-fleet:managed";

    /// <summary>An operator sets runs-fleet:protected=true to keep an instance out of every sweep.</summary>
    public const string Protected = "runs-fleet:protected";

    /// <summary>Warm-pool instances carry the name of their pool.</summary>
    public const string Pool = "runs-fleet:pool";

    /// <summary>Prefix of every tag key runs-fleet's launch code writes (runs-fleet:run-id, :managed, :pool,
    /// :arch, :runner-image, ...; fleet.go:623-743); its config refuses custom tags under it (config.go:682).</summary>
    public const string Prefix = "runs-fleet:";

    /// <summary>
    /// Tag key runs-fleet's Packer templates put on their AMI builder instances (packer/*.pkr.hcl
    /// run_tags), with <see cref="PackerBuilderValue"/>; runs-fleet reaps them by it (housekeeping/packer.go:34).
    /// </summary>
    public const string CreatedBy = "created-by";

    /// <summary>Value of <see cref="CreatedBy"/> on a Packer AMI builder.</summary>
    public const string PackerBuilderValue = "runs-fleet-packer";

    /// <summary>Tag value meaning "yes".</summary>
    public const string True = "true";

    /// <summary>The first runs-fleet:* key among <paramref name="keys"/> that runs-fleet's launch code writes
    /// (ordinal order, so the answer is stable); null when there is none. runs-fleet:protected is an
    /// operator's tag, not a launch's, and does not count.</summary>
    public static string? LaunchTagKey(IEnumerable<string> keys) =>
        keys.Where(k => k.StartsWith(Prefix, StringComparison.Ordinal) && k != Protected)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
}
