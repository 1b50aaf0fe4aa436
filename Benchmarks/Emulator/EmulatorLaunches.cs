using System.Globalization;

namespace RunsFleet.Benchmarks.Emulator;

/// <summary>fauxqs: SQS and S3 (path-style) on one port, from Tests/Emulators.</summary>
internal static class FauxqsServer
{
    private static readonly EmulatorLaunch Launch = new(
        "fauxqs",
        Path.Combine("fauxqs", "dist", "cli.js"),
        _ => [],
        port => new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FAUXQS_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["FAUXQS_LOGGER"] = "false",
        });

    public static Task<NodeEmulator> StartAsync(string repositoryRoot, CancellationToken cancellationToken) =>
        NodeEmulator.StartAsync(repositoryRoot, Launch, cancellationToken);
}

/// <summary>dynalite: in-memory DynamoDB (tables with GSIs, Query with Limit, BatchWriteItem) from Tests/Emulators.</summary>
internal static class DynaliteServer
{
    // --createTableMs 0: tables and indexes are ACTIVE at once instead of after half a second.
    private static readonly EmulatorLaunch Launch = new(
        "dynalite",
        Path.Combine("dynalite", "cli.js"),
        port => ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--createTableMs", "0"],
        _ => new Dictionary<string, string>(StringComparer.Ordinal));

    public static Task<NodeEmulator> StartAsync(string repositoryRoot, CancellationToken cancellationToken) =>
        NodeEmulator.StartAsync(repositoryRoot, Launch, cancellationToken);
}
