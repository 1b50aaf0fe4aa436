using System.Text.Json;
using Temporalio.Converters;

namespace RunsFleet.Tests.Support.Replay;

/// <summary>
/// Arguments of something a workflow asked for during replay (an activity, a continue-as-new),
/// readable as JSON (<see cref="Args"/>) or typed (<see cref="Arg{T}"/>), both through the default
/// data converter, i.e. exactly as they would travel to the server.
/// </summary>
public abstract class RecordedCall
{
    private readonly IReadOnlyList<object?> _rawArgs;

    /// <summary>Keeps the arguments as the workflow passed them.</summary>
    protected RecordedCall(IReadOnlyCollection<object?> rawArgs) => _rawArgs = [.. rawArgs];

    /// <summary>The argument objects as the workflow passed them.</summary>
    public IReadOnlyList<object?> RawArgs => _rawArgs;

    /// <summary>Each argument serialized by the default converter, as JSON.</summary>
    public IReadOnlyList<JsonElement> Args => [.. _rawArgs.Select(ToJson)];

    /// <summary>Argument <paramref name="index"/> converted to <typeparamref name="T"/> through its payload.</summary>
    public T Arg<T>(int index = 0)
    {
        if (index < 0 || index >= _rawArgs.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"{Describe()} has {_rawArgs.Count} argument(s).");
        }

        var converter = DataConverter.Default.PayloadConverter;
        return converter.ToValue<T>(converter.ToPayload(_rawArgs[index]));
    }

    /// <summary>Short description for messages.</summary>
    protected abstract string Describe();

    internal static JsonElement ToJson(object? value)
    {
        var payload = DataConverter.Default.PayloadConverter.ToPayload(value);
        using var document = JsonDocument.Parse(payload.Data.Memory);
        return document.RootElement.Clone();
    }
}

/// <summary>An activity the workflow scheduled during replay: its type name, arguments and options.</summary>
public sealed class RecordedActivity : RecordedCall
{
    /// <summary>Created by <see cref="RecordingInterceptor"/>.</summary>
    public RecordedActivity(string type, IReadOnlyCollection<object?> args, Temporalio.Workflows.ActivityOptions options)
        : base(args)
    {
        Type = type;
        Options = options;
    }

    /// <summary>Activity type, e.g. "CompleteJob" for CompleteJobAsync.</summary>
    public string Type { get; }

    /// <summary>Options the workflow used (timeouts, retry policy).</summary>
    public Temporalio.Workflows.ActivityOptions Options { get; }

    /// <inheritdoc />
    protected override string Describe() => $"Activity {Type}";

    /// <inheritdoc />
    public override string ToString() => $"{Type}({string.Join(", ", Args.Select(a => a.GetRawText()))})";
}

/// <summary>A continue-as-new the workflow asked for during replay.</summary>
public sealed class RecordedContinueAsNew : RecordedCall
{
    /// <summary>Created by <see cref="RecordingInterceptor"/>.</summary>
    public RecordedContinueAsNew(string workflowType, IReadOnlyCollection<object?> args)
        : base(args) => WorkflowType = workflowType;

    /// <summary>Workflow type of the next run.</summary>
    public string WorkflowType { get; }

    /// <inheritdoc />
    protected override string Describe() => $"Continue-as-new of {WorkflowType}";
}
