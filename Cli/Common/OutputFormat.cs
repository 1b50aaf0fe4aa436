namespace RunsFleet.Cli.Common;

/// <summary>How a command writes its answer.</summary>
internal enum OutputFormat
{
    /// <summary>Rich on a terminal (colours, live progress), plain text when redirected.</summary>
    Auto,

    /// <summary>Plain text: no colours, no live redraws; one line per event.</summary>
    Text,

    /// <summary>One JSON document on stdout (camelCase, enums as strings); errors still go to stderr.</summary>
    Json,
}
