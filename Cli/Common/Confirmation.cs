namespace RunsFleet.Cli.Common;

/// <summary>Destructive commands change nothing unless the operator passed --yes.</summary>
internal static class Confirmation
{
    /// <summary>The option's name, the same on every destructive command.</summary>
    public const string YesOption = "--yes";

    /// <summary>Throws <see cref="CliExitCodes.ConfirmationRequired"/> unless <paramref name="yes"/>.</summary>
    public static void Require(bool yes, string what)
    {
        if (!yes)
        {
            throw new CliException(
                CliExitCodes.ConfirmationRequired,
                $"{what}: nothing was changed; add {YesOption} to do it (or --dry-run to see what it would do)");
        }
    }
}
