using System.Text.Json;
using Google.Protobuf;
using Temporalio.Api.Common.V1;
using Temporalio.Converters;

namespace RunsFleet.Workflows.Sweeps;

/// <summary>A sweep's typed continue-as-new state to and from the JSON its input carries. The input lives in
/// RunsFleet.Contracts, which knows no activity types, so it holds the state as a JsonElement. Both ways go
/// through Temporal's own payload converter, so the bytes are those the typed property wrote (same escaping)
/// and histories recorded before replay. Pure, no I/O: safe in workflow code.</summary>
public static class SweepContinuation
{
    /// <summary>The state in <paramref name="json"/>, or null when the input carries none.</summary>
    public static T? Read<T>(JsonElement? json) where T : class => json is not { } element ? null
        : DataConverter.Default.PayloadConverter.ToValue<T>(new Payload
        {
            Metadata = { ["encoding"] = ByteString.CopyFromUtf8("json/plain") },
            Data = ByteString.CopyFromUtf8(element.GetRawText()),
        });

    /// <summary>The JSON of <paramref name="state"/> for the next run's input.</summary>
    public static JsonElement Write<T>(T state)
    {
        using var document = JsonDocument.Parse(DataConverter.Default.PayloadConverter.ToPayload(state).Data.Memory);
        return document.RootElement.Clone();
    }
}
