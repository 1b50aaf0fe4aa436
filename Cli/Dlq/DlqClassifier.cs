using RunsFleet.Cli.Common;
using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Contracts;

namespace RunsFleet.Cli.Dlq;

/// <summary>What the bridge's parser says about a body now: "valid", or its first rejection code with every
/// reason.</summary>
/// <param name="Reason">"valid" or a <see cref="RejectionCode"/> name.</param>
/// <param name="Detail">Every problem in one line; null when valid.</param>
internal sealed record DlqVerdict(string Reason, string? Detail)
{
    /// <summary>The reason of a body the bridge accepts now.</summary>
    public const string Valid = "valid";

    public bool IsValid => Reason == Valid;
}

/// <summary>Classifies dead-lettered bodies with the bridge's OWN parser and size limit, so "valid" means
/// exactly "the bridge would start a workflow for it now" (e.g. dead-lettered during an outage,
/// or rejected by a parser that has since been fixed).</summary>
internal sealed class DlqClassifier(BridgeQueue queue, int maxBytes)
{
    /// <summary>A classifier with the body limit the bridge reads (RUNS_FLEET_MAX_MESSAGE_BYTES).</summary>
    public static DlqClassifier For(BridgeQueue queue, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reader = new EnvironmentSettingsReader(context.Environment);
        var maxBytes = reader.Int(BridgeOptions.MaxMessageBytesVariable, TerminationMessageParser.DefaultMaxBytes, 1024,
            1024 * 1024);
        if (reader.Problems.Count > 0)
        {
            throw new CliException(ExitCodes.InvalidConfiguration, string.Join("; ", reader.Problems));
        }

        return new DlqClassifier(queue, maxBytes);
    }

    public DlqVerdict Classify(string body)
    {
        var problems = queue == BridgeQueue.Termination
            ? TerminationMessageParser.Parse(body, maxBytes, null).Problems
            : HousekeepingMessageParser.Parse(body, maxBytes).Problems;
        return problems.Count == 0
            ? new DlqVerdict(DlqVerdict.Valid, null)
            : new DlqVerdict(problems[0].Code.ToString(), string.Join("; ", problems.Select(p => p.ToString())));
    }
}
