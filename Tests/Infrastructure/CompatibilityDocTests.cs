using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.OldJobs;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Activities.Sweeps.Orphans;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Tests.Support;
using RunsFleet.Workflows.Sweeps;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// docs/runs-fleet-compatibility.md against the code, where a check is cheap: the statuses and their
/// terminal sets, the index names, the message vocabularies, metric and tag names, variable names, and
/// that every file of this project the doc names exists. runs-fleet's side (the path:line citations)
/// is re-checked by hand with the commands at the top of the doc.
/// </summary>
public partial class CompatibilityDocTests
{
    private const string DocPath = "docs/runs-fleet-compatibility.md";
    private const string InProgress = "(in progress)";
    private const StringComparison Exact = StringComparison.Ordinal;

    private static readonly string Doc = RepositoryFiles.Read(DocPath);

    [Fact]
    public void Names_the_pinned_commit_and_the_rule()
    {
        Assert.Contains("**Pinned commit:** `2bb4703`", Doc, Exact);
        Assert.Contains("when runs-fleet changes, this file changes first", Doc, Exact);
    }

    [Fact]
    public void Status_table_has_every_status_with_the_terminal_column_of_both_sides()
    {
        var rows = Keyed("### Statuses", "Status");
        var known = JobRecord.TerminalStatuses.Concat(JobRecord.ActiveStatuses).Concat(JobRecord.ArchivableStatuses)
            .Append(JobRecord.Orphaned).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(known.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var status in known)
        {
            // runs-fleet's JobStatus.IsTerminal set is ours minus the legacy word only this project wrote.
            var runsFleetTerminal = JobRecord.IsTerminal(status) && status != JobRecord.LegacyFailed;
            Assert.True(YesNo(JobRecord.IsTerminal(status)) == rows[status]["Terminal here"],
                $"'Terminal here' of {status}");
            Assert.True(YesNo(runsFleetTerminal) == rows[status]["runs-fleet terminal"],
                $"'runs-fleet terminal' of {status}");
        }

        Assert.All(JobRecord.ActiveStatuses, status => Assert.Equal("no", rows[status]["Terminal here"]));
    }

    [Fact]
    public void Index_table_has_every_index_setting_with_its_default_and_runs_fleets_own_indexes()
    {
        var rows = Keyed("### Indexes", "Index");
        var defaults = new JobsTableOptions();
        string[] names =
        [
            "completed_at-index", "instance-id-index", "pool-created-at-index", "pool-status-index",
            "status-created_at-index",
        ];

        Assert.Equal(names, rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (index, variable) in new[]
        {
            (defaults.InstanceIdIndex, "RUNS_FLEET_JOBS_INSTANCE_ID_GSI"),
            (defaults.CompletedAtIndex, "RUNS_FLEET_JOBS_COMPLETED_AT_GSI"),
            (defaults.ActiveJobsIndex, "RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI"),
        })
        {
            Assert.True(rows.ContainsKey(index), $"no row for the default of {variable}, {index}");
            Assert.Contains($"`{variable}`, `{index}`", rows[index]["Setting here (variable, default)"], Exact);
        }

        Assert.Equal("HASH `status` S, RANGE `completed_at` S", rows[defaults.CompletedAtIndex]["Keys"]);
        Assert.Equal("ALL", rows[defaults.CompletedAtIndex]["Projection"]);
        Assert.Equal("HASH `status` S, RANGE `created_at` S", rows[defaults.ActiveJobsIndex]["Keys"]);
        Assert.Equal("INCLUDE `instance_id`", rows[defaults.ActiveJobsIndex]["Projection"]);
    }

    [Fact]
    public void Terraform_block_and_update_table_commands_create_the_added_indexes_one_at_a_time()
    {
        var defaults = new JobsTableOptions();
        var hcl = Fenced("hcl");
        Assert.Contains("attribute {\n    name = \"completed_at\"\n    type = \"S\"\n  }", hcl, Exact);
        Assert.Contains(
            $"name            = \"{defaults.CompletedAtIndex}\"\n    hash_key        = \"status\"\n"
            + "    range_key       = \"completed_at\"\n    projection_type = \"ALL\"", hcl, Exact);
        Assert.Contains(
            $"name               = \"{defaults.ActiveJobsIndex}\"\n    hash_key           = \"status\"\n"
            + "    range_key          = \"created_at\"\n    projection_type    = \"INCLUDE\"\n"
            + "    non_key_attributes = [\"instance_id\"]", hcl, Exact);

        // One GSI per update-table call, and the wait for ACTIVE before the next one.
        var calls = Fenced("sh", containing: "update-table")
            .Split("aws dynamodb update-table", StringSplitOptions.None).Skip(1).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, call => Assert.Single(IndexNameInCall().Matches(call)));
        Assert.Contains($"\"IndexName\":\"{defaults.CompletedAtIndex}\"", calls[0], Exact);
        Assert.Contains($"wait_active {defaults.CompletedAtIndex}", calls[0], Exact);
        Assert.Contains($"\"IndexName\":\"{defaults.ActiveJobsIndex}\"", calls[1], Exact);
        Assert.Contains("\"NonKeyAttributes\":[\"instance_id\"]", calls[1], Exact);
        Assert.Contains("loses any GSI its Terraform does not declare", Doc, Exact);
    }

    [Fact]
    public void Every_file_of_this_project_named_exists_unless_marked_in_progress()
    {
        var missing = ProjectPath().Matches(Doc)
            .Where(match => !Doc.AsSpan(match.Index + match.Length).TrimStart(' ').StartsWith(InProgress, Exact))
            .Select(match => match.Groups["path"].Value)
            .Distinct()
            .Where(path => path.EndsWith('/')
                ? !Directory.Exists(RepositoryFiles.PathOf(path))
                : !File.Exists(RepositoryFiles.PathOf(path)))
            .ToList();

        Assert.True(missing.Count == 0,
            $"{DocPath} names files that do not exist (mark them {InProgress}): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Termination_statuses_the_bridge_accepts_are_in_the_termination_table()
    {
        var statusCells = Column("### Termination messages", "Field or status")
            .Where(cell => cell.StartsWith("status ", Exact));
        var text = string.Join(" ", statusCells);

        foreach (var field in typeof(JobEndStatus).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var wire = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name;
            Assert.Contains($"`{wire}`", text, Exact);
        }
    }

    [Fact]
    public void Housekeeping_task_types_of_this_project_are_in_the_task_table()
    {
        var ours = string.Join(" ", Column("### Housekeeping task types", "This project"));

        Assert.All(Enum.GetValues<SweepKind>(), kind => Assert.Contains($"`{SweepNames.TaskType(kind)}`", ours, Exact));
    }

    [Fact]
    public void Metric_names_of_this_project_are_in_the_metrics_table()
    {
        var ours = string.Join(" ", Column("## Metrics", "What this project does"));
        string[] names =
        [
            JobMetrics.JobDuration, JobMetrics.JobSuccess, JobMetrics.JobFailure,
            OrphanSweepActivities.TerminatedMetric, StaleSsmSweepActivities.DeletedMetric,
            OldJobArchivalActivities.ArchivedMetric, OrphanedJobSweepActivities.MarkedMetric,
            PoolAuditActivities.IdleCostMetric, PoolAuditActivities.ComputeCostMetric,
            PoolAuditActivities.UtilizationMetric,
            RunnerConfirmedMetrics.RunnerConfirmed, RunnerConfirmedMetrics.InstanceProvisionSeconds,
            RunnerConfirmedMetrics.AgentBootstrapSecondsName, BootstrapFailureMetrics.JobsRequeued,
            BootstrapFailureMetrics.SchedulingFailure,
        ];

        Assert.All(names, name => Assert.Contains($"`{name}`", ours, Exact));
        Assert.Contains($"(default `{new MetricsOptions().Namespace}`", Doc, Exact);
    }

    [Fact]
    public void Tags_and_parameter_names_match_the_code()
    {
        var tags = Column("## EC2 tags and instance profiles", "Tag or profile");
        Assert.Contains(tags, cell => cell.StartsWith($"`{FleetTags.Managed}={FleetTags.True}`", Exact));
        Assert.Contains(tags, cell => cell.StartsWith($"`{FleetTags.Pool}=", Exact));
        Assert.Contains(tags, cell => cell.StartsWith($"`{FleetTags.Protected}={FleetTags.True}`", Exact));

        var ssm = string.Join(" ", Column("## SSM parameters", "Item"));
        Assert.Contains($"`{{prefix}}/{{instance-id}}/{RunnerParameterNames.Config}`", ssm, Exact);
        Assert.Contains($"`{{prefix}}/{{instance-id}}/{RunnerParameterNames.Credential}`", ssm, Exact);
        Assert.Contains($"default `{new RunnerParameterOptions().Prefix}`", ssm, Exact);
    }

    [Fact]
    public void Reserved_rows_table_has_the_prefix_of_every_reserved_row_the_runs_fleet_seed_writes()
    {
        var prefixes = Column("### Reserved rows", "Row key").Select(MarkdownTable.Code)
            .Select(key => key[..(key.IndexOf(':', Exact) + 1)]).ToList();
        var at = DateTimeOffset.UnixEpoch;
        Dictionary<string, AttributeValue>[] seeded =
        [
            RunsFleetSeed.TaskLock("old_jobs", at),
            RunsFleetSeed.InstanceClaim("i-0123456789abcdef0", 1, at, TimeSpan.FromMinutes(5)),
            RunsFleetSeed.RunnerOffline("org/repo", 7, at),
            RunsFleetSeed.FleetDay(new DateOnly(2026, 1, 2), at),
        ];

        Assert.Equal(seeded.Length, prefixes.Count);
        Assert.All(seeded, row => Assert.Contains(prefixes, prefix => row["pool_name"].S.StartsWith(prefix, Exact)));
    }

    [Fact]
    public void Variables_named_for_this_project_are_known_with_their_defaults()
    {
        var cells = Column("## Variables", "This project (default)").Where(c => !c.Contains(InProgress, Exact));
        foreach (var cell in cells)
        {
            foreach (var name in VariableName().Matches(cell).Select(m => m.Value))
            {
                var known = KnownEnvironmentVariables.All.SingleOrDefault(v => v.Name == name);
                Assert.True(known is not null, $"{DocPath} names {name}, which is not in KnownEnvironmentVariables");
                if (known.Default.Length > 0)
                {
                    Assert.Contains(known.Default, cell, Exact);
                }
            }
        }
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static Dictionary<string, IReadOnlyDictionary<string, string>> Keyed(string heading, string column) =>
        MarkdownTable.After(Doc, heading).ToDictionary(row => MarkdownTable.Code(row[column]), StringComparer.Ordinal);

    private static List<string> Column(string heading, string column) =>
        MarkdownTable.After(Doc, heading).Select(row => row[column]).ToList();

    // The first ```<language> block (containing the text when given), without its fences.
    private static string Fenced(string language, string? containing = null)
    {
        var blocks = Doc.Replace("\r\n", "\n", Exact).Split("```" + language + "\n").Skip(1)
            .Select(rest => rest[..rest.IndexOf("\n```", Exact)]);
        return blocks.First(block => containing is null || block.Contains(containing, Exact));
    }

    // A backticked path under one of this project's top-level folders.
    [GeneratedRegex(
        @"`(?<path>(?:Activities|Workflows|SqsBridge|Worker|Infrastructure|Cli|Hosting|Tests|docs)/[^`\s]*)`")]
    private static partial Regex ProjectPath();

    [GeneratedRegex(@"\bRUNS_FLEET_[A-Z0-9_]+\b")]
    private static partial Regex VariableName();

    [GeneratedRegex(@"""IndexName"":")]
    private static partial Regex IndexNameInCall();
}
