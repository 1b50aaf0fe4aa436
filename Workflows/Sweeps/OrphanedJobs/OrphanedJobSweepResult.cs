using System.Text.Json.Serialization;
using RunsFleet.Activities.Sweeps;
using RunsFleet.Activities.Sweeps.OrphanedJobs;

namespace RunsFleet.Workflows.Sweeps.OrphanedJobs;

/// <summary>Outcome of an OrphanedJobSweep, totalled over every page and run. Jobs lists at most
/// cap + 1 orphaned jobs with their fate; the counts are always complete.</summary>
public sealed record OrphanedJobSweepResult
{
    public required bool DryRun { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required string RuntimeCutoff { get; init; }
    public required int MaxJobs { get; init; }

    [JsonConverter(typeof(OrphanedJobRules.ActionJson))]
    public required SweepAction Action { get; init; }

    public required IReadOnlyList<string> Statuses { get; init; }
    public required long JobsRead { get; init; }
    public required long InstancesChecked { get; init; }
    public required long OrphanedJobs { get; init; }
    public required long InstanceGone { get; init; }
    public required long OverAge { get; init; }
    public required int Marked { get; init; }
    public required int LeftAlone { get; init; }
    public required int MarkFailed { get; init; }
    public required int ParametersDeleted { get; init; }
    public required int ParametersAlreadyGone { get; init; }
    public required long KeptActive { get; init; }
    public required long KeptUnreadable { get; init; }
    public required IReadOnlyList<OrphanedJobReport> Jobs { get; init; }
    public required int Pages { get; init; }
    public required int Runs { get; init; }
    public required string Summary { get; init; }

    /// <summary>Of <see cref="InstancesChecked"/>, those EC2 returned in any state. 0 with InstancesChecked &gt; 0
    /// is <see cref="SweepAction.InstancesUnknown"/>: nothing marked.</summary>
    public long InstancesKnown { get; init; }

    /// <summary>Jobs younger than the threshold (runs-fleet's 2 h; requeued ones from requeued_at).</summary>
    public long KeptYoung { get; init; }
}
