using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace RunsFleet.Hosting.Telemetry;

/// <summary>The console log format of both hosts. Not on a terminal (a container's stdout, shipped by the
/// awslogs driver): one JSON object per line, with the logging scopes (message id, workflow id,
/// job id, instance id where known), so CloudWatch Logs Insights filters on fields instead of
/// parsing text; EMF metric lines on the same stdout are JSON objects too. On a terminal: the
/// readable single-line format.</summary>
public static class ConsoleLogFormat
{
    /// <summary>UTC, milliseconds: sortable and the same in both formats.</summary>
    public const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    /// <summary>Chooses the format: JSON when <paramref name="json"/>, by default when stdout is redirected.</summary>
    public static ILoggingBuilder AddRunsFleetConsole(this ILoggingBuilder logging, bool? json = null)
    {
        ArgumentNullException.ThrowIfNull(logging);
        if (json ?? Console.IsOutputRedirected)
        {
            return logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = TimestampFormat;
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }

        return logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = TimestampFormat + " ";
            o.ColorBehavior = LoggerColorBehavior.Default;
        });
    }
}
