using System.CommandLine;
using RunsFleet.Hosting;

namespace RunsFleet.Cli.Common;

/// <summary>Destructive commands change nothing unless the operator passed --yes (or -y).</summary>
internal static class Confirmation
{
    /// <summary>The option's name, the same on every destructive command.</summary>
    public const string YesOption = "--yes";

    /// <summary>The --yes/-y option of a command that needs it; <paramref name="description"/> says when.</summary>
    public static Option<bool> Yes(string description) => new(YesOption, "-y") { Description = description };

    /// <summary>Throws <see cref="ExitCodes.ConfirmationRequired"/> unless <paramref name="yes"/>; the
    /// message points at --dry-run only where the command has one.</summary>
    public static void Require(bool yes, string what, bool hasDryRun = true)
    {
        if (!yes)
        {
            var dryRun = hasDryRun ? " (or --dry-run to see what it would do)" : string.Empty;
            throw new CliException(
                ExitCodes.ConfirmationRequired,
                $"{what}: nothing was changed; add {YesOption} to do it{dryRun}");
        }
    }
}
