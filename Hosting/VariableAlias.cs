namespace RunsFleet.Hosting;

/// <summary>Another name a setting is read from, e.g. runs-fleet's RUNS_FLEET_MAX_RUNTIME_MINUTES or our earlier
/// RUNS_FLEET_ORPHAN_MAX_RUNTIME_MINUTES for RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES, so a deployed
/// environment works as it is.</summary>
/// <param name="Name">The alias variable.</param>
/// <param name="Translate">
/// Turns the alias's text into the setting's terms when they differ (runs-fleet's
/// RUNS_FLEET_STOPPED_INSTANCE_GRACE_HOURS=0 means "phase off"); null = "says nothing about this
/// setting". Absent: the text is taken as it is.
/// </param>
/// <param name="Earlier">True when the alias is an earlier name of ours (RUNS_FLEET_ORPHAN_* before issue 14),
/// false when it is runs-fleet's name; the documentation says which.</param>
public sealed record VariableAlias(string Name, Func<string, string?>? Translate = null, bool Earlier = false)
{
    /// <summary>What the alias says about the setting, or null (unset, or nothing to say).</summary>
    public string? Read(EnvironmentSettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.Optional(Name) is { } text ? (Translate is null ? text : Translate(text)) : null;
    }
}

/// <summary>A setting's text and where it came from; <see cref="Conflict"/> when two set names disagree.</summary>
/// <param name="Text">The value to use (own variable first, then the aliases in order); null when none is set.</param>
/// <param name="Source">The variable <paramref name="Text"/> came from.</param>
/// <param name="Conflict">The problem naming both variables when two set ones say different things.</param>
public sealed record AliasedValue(string? Text, string? Source, string? Conflict);
