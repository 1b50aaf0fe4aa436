using System.Text.Json;
using System.Text.Json.Serialization;

namespace RunsFleet.Contracts.Sweeps;

/// <summary>Writes a sweep input's continuation exactly as the workflow wrote it (raw text): re-encoding a JsonElement
/// escapes characters such as '+' that the typed state wrote plain, and histories hold the plain bytes.</summary>
public sealed class ContinuationJsonConverter : JsonConverter<JsonElement>
{
    public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.Clone();
    }

    public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
    }
}
