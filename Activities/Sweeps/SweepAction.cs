using System.Text.Json;
using System.Text.Json.Serialization;

namespace RunsFleet.Activities.Sweeps;

/// <summary>What a capped sweep does once its scan is complete (the blast-radius decision).</summary>
public enum SweepAction
{
    /// <summary>Nothing was found.</summary>
    Nothing,

    /// <summary>Every item found is acted on (terminated, marked).</summary>
    Act,

    /// <summary>Dry run: reported, nothing written.</summary>
    DryRun,

    /// <summary>More items than the cap: none acted on (something is wrong at a larger scale).</summary>
    CapReached,

    /// <summary>OrphanedJobs only: EC2 knew none of the instances the sweep looked up. A wrong region or account
    /// looks exactly like every instance gone, so nothing is marked, whatever the count.</summary>
    InstancesUnknown,
}

/// <summary>The one blast-radius decision every capped sweep takes.</summary>
public static class SweepBlastRadius
{
    /// <summary>The action for <paramref name="found"/> items under <paramref name="cap"/>. The cap is checked
    /// before the dry run, so a dry run shows what a real run would do: above the cap NOTHING is acted
    /// on (a data outage that makes everything look stray must not empty the fleet or the table).</summary>
    public static SweepAction Decide(long found, int cap, bool dryRun) =>
        found == 0 ? SweepAction.Nothing
        : found > cap ? SweepAction.CapReached
        : dryRun ? SweepAction.DryRun
        : SweepAction.Act;
}

/// <summary>Writes a <see cref="SweepAction"/> as a string, <see cref="SweepAction.Act"/> under the name a sweep's
/// results have always carried (Terminate, Mark): results are read back by the CLI from histories.</summary>
public abstract class SweepActionJsonConverter(string actName) : JsonConverter<SweepAction>
{
    /// <summary>The action as the sweep's results and summaries spell it.</summary>
    public string Name(SweepAction action) => action == SweepAction.Act ? actName : action.ToString();

    public override SweepAction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text == actName ? SweepAction.Act
            : Enum.TryParse<SweepAction>(text, out var action) ? action
            : throw new JsonException($"unknown sweep action '{text}'");
    }

    public override void Write(Utf8JsonWriter writer, SweepAction value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Name(value));
    }
}
