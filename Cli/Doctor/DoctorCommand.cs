using RunsFleet.Hosting;
using System.CommandLine;
using System.Text.Json.Serialization;
using RunsFleet.Activities.Preflight;
using RunsFleet.Cli.Common;
using Spectre.Console;

namespace RunsFleet.Cli.Doctor;

/// <summary><c>runs-fleet doctor</c>: the preflight from a shell, with the variables the worker and the bridge
/// read. Per capability: ready, or its one fix (a command to run, a setting to change, the block for
/// runs-fleet's Terraform). Read-only. Exit 0 when every capability is ready, 7 when one is not,
/// 6 when none is not ready but a check could not be made (an AWS error). An invalid variable makes
/// the capabilities that read it not ready.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command(
            "doctor",
            "Check what each capability needs in the account (tables, indexes, queues, buckets, variables): ready, or "
            + "the one fix");
        command.SetAction((parse, ct) => RunAsync(context, CliApp.Output(parse, context), ct));
        return command;
    }

    /// <summary>The exit code of a set of reports.</summary>
    public static int ExitCode(IReadOnlyList<CapabilityReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        if (reports.Any(r => r.State == PreflightState.NotReady))
        {
            return ExitCodes.CompletedWithProblems;
        }

        return reports.Any(r => r.State == PreflightState.Unchecked) ? ExitCodes.AwsError : ExitCodes.Success;
    }

    private static async Task<int> RunAsync(CliContext context, CliOutput output, CancellationToken cancellationToken)
    {
        var settings = PreflightSettings.FromEnvironment(context.Variable);
        var seen = await DoctorProbes.ObserveAsync(context, settings, cancellationToken).ConfigureAwait(false);
        var reports = PreflightCheck.Evaluate(settings, seen);
        var checkedNames = new DoctorChecked(settings);
        if (output.IsJson)
        {
            output.WriteJson(new DoctorReport(reports.All(r => r.IsReady), checkedNames, reports));
            return ExitCode(reports);
        }

        output.Line($"runs-fleet doctor: {checkedNames.Summary}");
        var width = reports.Max(r => r.Capability.ToString().Length) + 2;
        foreach (var report in reports)
        {
            Write(output, report, width);
        }

        var ready = reports.Count(r => r.IsReady);
        output.Line($"{ready} of {reports.Count} capabilities ready"
            + (ready == reports.Count ? "." : "; fix one problem at a time and run runs-fleet doctor again."));
        return ExitCode(reports);
    }

    private static void Write(CliOutput output, CapabilityReport report, int width)
    {
        var name = report.Capability.ToString().PadRight(width);
        var (word, colour) = report.State switch
        {
            PreflightState.Ready => ("ready", "green"),
            PreflightState.NotReady => ("NOT READY", "red"),
            _ => ("NOT CHECKED", "yellow"),
        };
        // A check not made is one line, what and why, with its fix: there is nothing to paste, only to look at.
        var notChecked = report.State == PreflightState.Unchecked;
        var detail = report.IsReady
            ? report.Note is null ? string.Empty : $" ({report.Note})"
            : $": {report.Problem}" + (notChecked && report.Fix is { } checks ? $"; {checks}" : string.Empty)
                + (report.MoreProblems > 0 ? $" ({report.MoreProblems} more after this one)" : string.Empty);
        if (output.IsRich)
        {
            output.Console.MarkupLine($"{Markup.Escape(name)}[{colour}]{word}[/]{Markup.Escape(detail)}");
        }
        else
        {
            output.Line(name + word + detail);
        }

        if (!notChecked && report.Fix is { } fix)
        {
            output.Line($"  fix: {fix}");
        }

        if (report.Terraform is { } terraform)
        {
            var lines = terraform.Split('\n');
            output.Line($"  terraform: {lines[0]}");
            foreach (var line in lines.Skip(1))
            {
                output.Line(line.Length == 0 ? string.Empty : "    " + line);
            }
        }
    }
}

/// <summary>The JSON answer of <c>doctor</c>.</summary>
internal sealed record DoctorReport(bool Ready, DoctorChecked Checked, IReadOnlyList<CapabilityReport> Capabilities);

/// <summary>The names checked, as the variables give them (null: unset): the settings as the JSON names them.</summary>
internal sealed class DoctorChecked(PreflightSettings settings)
{
    public string JobsTable => settings.Jobs.TableName;

    public string InstanceIdIndex => settings.Jobs.InstanceIdIndex;

    public string ActiveJobsIndex => settings.Jobs.ActiveJobsIndex;

    public string CompletedAtIndex => settings.Jobs.CompletedAtIndex;

    public string PoolsTable => settings.PoolsTable;

    public string? ArchiveBucket => settings.ArchiveBucket;

    public string? ReportBucket => settings.ReportBucket;

    public string? TerminationQueueUrl => settings.TerminationQueueUrl;

    public string? HousekeepingQueueUrl => settings.HousekeepingQueueUrl;

    /// <summary>One line naming what was checked.</summary>
    [JsonIgnore]
    public string Summary =>
        $"jobs table {JobsTable} (indexes {InstanceIdIndex}, {ActiveJobsIndex}, {CompletedAtIndex}), pools table "
        + $"{PoolsTable}, "
        + $"archive bucket {ArchiveBucket ?? "(unset)"}, report bucket {ReportBucket ?? "(unset)"}, "
        + $"termination queue {TerminationQueueUrl ?? "(unset)"}, housekeeping queue "
        + $"{HousekeepingQueueUrl ?? "(unset)"}";
}
