using System.ComponentModel.DataAnnotations;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Sweeps.JobArchive;
using RunsFleet.Activities.Sweeps.PoolAudit;

namespace RunsFleet.Activities.Preflight;

/// <summary>What the preflight checks: the names the worker and the bridge are configured with. The worker
/// builds it from its bound options (so it checks exactly what its activities use); the CLI reads
/// the same variables with <see cref="FromEnvironment"/> (Tests pin the names against the worker's
/// bindings and the bridge's options).</summary>
public sealed record PreflightSettings
{
    public const string ArchiveBucketVariable = "RUNS_FLEET_JOB_ARCHIVE_BUCKET";

    /// <summary>The bucket variable's name before issue 14, still read (the worker's binding reads it too).</summary>
    public const string EarlierArchiveBucketVariable = "RUNS_FLEET_ARCHIVE_BUCKET";
    public const string ReportBucketVariable = "RUNS_FLEET_REPORT_BUCKET";
    public const string TerminationQueueUrlVariable = "RUNS_FLEET_TERMINATION_QUEUE_URL";
    public const string HousekeepingQueueUrlVariable = "RUNS_FLEET_HOUSEKEEPING_QUEUE_URL";

    /// <summary>Jobs table and index names.</summary>
    public required JobsTableOptions Jobs { get; init; }

    /// <summary>Pools table name.</summary>
    public required string PoolsTable { get; init; }

    /// <summary>OldJobArchival's bucket (null: records deleted without an archive copy).</summary>
    public string? ArchiveBucket { get; init; }

    /// <summary>PoolAudit's bucket (null: reports only logged and returned).</summary>
    public string? ReportBucket { get; init; }

    /// <summary>The bridge's termination queue URL (required by the bridge).</summary>
    public string? TerminationQueueUrl { get; init; }

    /// <summary>The bridge's housekeeping queue URL (optional).</summary>
    public string? HousekeepingQueueUrl { get; init; }

    /// <summary>Invalid variables found reading the environment: each (variable, problem).</summary>
    public IReadOnlyList<(string Variable, string Problem)> Problems { get; init; } = [];

    /// <summary>The settings the environment gives (<paramref name="variable"/>: a name to its trimmed value,
    /// or null when unset).</summary>
    public static PreflightSettings FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var problems = new List<(string, string)>();
        var jobs = new JobsTableOptions();
        jobs.TableName = variable(TableRequirement.Jobs.Variable) ?? jobs.TableName;
        jobs.InstanceIdIndex = variable(JobsIndexRequirement.InstanceIdVariable) ?? jobs.InstanceIdIndex;
        jobs.CompletedAtIndex = variable(JobsIndexRequirement.CompletedAtVariable) ?? jobs.CompletedAtIndex;
        jobs.ActiveJobsIndex = variable(JobsIndexRequirement.ActiveJobsVariable) ?? jobs.ActiveJobsIndex;
        Validate(jobs, nameof(JobsTableOptions.TableName), TableRequirement.Jobs.Variable, problems);
        Validate(jobs, nameof(JobsTableOptions.InstanceIdIndex), JobsIndexRequirement.InstanceIdVariable, problems);
        Validate(jobs, nameof(JobsTableOptions.CompletedAtIndex), JobsIndexRequirement.CompletedAtVariable, problems);
        Validate(jobs, nameof(JobsTableOptions.ActiveJobsIndex), JobsIndexRequirement.ActiveJobsVariable, problems);

        var pools = new PoolAuditOptions();
        pools.PoolsTableName = variable(TableRequirement.Pools.Variable) ?? pools.PoolsTableName;
        Validate(pools, nameof(PoolAuditOptions.PoolsTableName), TableRequirement.Pools.Variable, problems);
        var archive = new JobArchiveOptions
        {
            ArchiveBucket = variable(ArchiveBucketVariable) ?? variable(EarlierArchiveBucketVariable),
        };
        if (variable(ArchiveBucketVariable) is { } bucket && variable(EarlierArchiveBucketVariable) is { } earlier
            && bucket != earlier)
        {
            // As the worker: two set names that disagree are a problem, never a silent choice.
            problems.Add((ArchiveBucketVariable, $"is '{bucket}' but {EarlierArchiveBucketVariable} (read as the same "
                + $"setting) is '{earlier}': set one of them, or both to the same value"));
        }

        Validate(archive, nameof(JobArchiveOptions.ArchiveBucket), ArchiveBucketVariable, problems);

        return new PreflightSettings
        {
            Jobs = jobs,
            PoolsTable = pools.PoolsTableName,
            ArchiveBucket = archive.ArchiveBucket,
            ReportBucket = variable(ReportBucketVariable),
            TerminationQueueUrl = Url(variable, TerminationQueueUrlVariable, problems),
            HousekeepingQueueUrl = Url(variable, HousekeepingQueueUrlVariable, problems),
            Problems = problems,
        };
    }

    private static void Validate(object options, string member, string variable, List<(string, string)> problems)
    {
        var value = options.GetType().GetProperty(member)!.GetValue(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateProperty(value, new ValidationContext(options) { MemberName = member }, results))
        {
            problems.AddRange(results.Select(r => (variable, $"{r.ErrorMessage?.TrimEnd('.')}, got '{value}'")));
        }
    }

    private static string? Url(Func<string, string?> variable, string name, List<(string, string)> problems)
    {
        var text = variable(name);
        var isUrl = Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        if (text is not null && !isUrl)
        {
            problems.Add((name, $"must be an http(s) queue URL, got '{text}'"));
            return null;
        }

        return text;
    }
}
