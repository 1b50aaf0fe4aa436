using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.OldJobs;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Activities.Sweeps.Orphans;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Tests.Support;
using RunsFleet.Workflows.JobTermination;
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

    private static readonly string Doc = RepositoryFiles.Read(DocPath);

    [Fact]
    public void Names_the_pinned_commit_and_the_rule()
    {
        Assert.Contains("**Pinned commit:** `2bb4703`", Doc, StringComparison.Ordinal);
        Assert.Contains("when runs-fleet changes, this file changes first", Doc, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_table_has_every_status_with_the_terminal_column_of_both_sides()
    {
        var rows = MarkdownTable.After(Doc, "### Statuses").ToDictionary(r => MarkdownTable.Code(r["Status"]), StringComparer.Ordinal);
        var known = JobRecord.TerminalStatuses.Concat(JobRecord.ActiveStatuses).Concat(JobRecord.ArchivableStatuses)
            .Append(JobRecord.Orphaned).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(known.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        foreach (var status in known)
        {
            // runs-fleet's JobStatus.IsTerminal set is ours minus the legacy word only this project wrote.
            var runsFleetTerminal = JobRecord.IsTerminal(status) && status != JobRecord.LegacyFailed;
            Assert.True(YesNo(JobRecord.IsTerminal(status)) == rows[status]["Terminal here"], $"'Terminal here' of {status}");
            Assert.True(YesNo(runsFleetTerminal) == rows[status]["runs-fleet terminal"], $"'runs-fleet terminal' of {status}");
        }

        Assert.All(JobRecord.ActiveStatuses, status => Assert.Equal("no", rows[status]["Terminal here"]));
    }

    [Fact]
    public void Index_table_has_every_index_setting_with_its_default_and_runs_fleets_own_indexes()
    {
        var rows = MarkdownTable.After(Doc, "### Indexes").ToDictionary(r => MarkdownTable.Code(r["Index"]), StringComparer.Ordinal);
        var defaults = new JobsTableOptions();

        Assert.Equal(
            ["completed_at-index", "instance-id-index", "pool-created-at-index", "pool-status-index", "status-created_at-index"],
            rows.Keys.Order(StringComparer.Ordinal));
        foreach (var (index, variable) in new[]
        {
            (defaults.InstanceIdIndex, "RUNS_FLEET_JOBS_INSTANCE_ID_GSI"),
            (defaults.CompletedAtIndex, "RUNS_FLEET_JOBS_COMPLETED_AT_GSI"),
            (defaults.ActiveJobsIndex, "RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI"),
        })
        {
            Assert.True(rows.ContainsKey(index), $"no row for the default of {variable}, {index}");
            Assert.Contains($"`{variable}`, `{index}`", rows[index]["Setting here (variable, default)"], StringComparison.Ordinal);
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
        Assert.Contains("attribute {\n    name = \"completed_at\"\n    type = \"S\"\n  }", hcl, StringComparison.Ordinal);
        Assert.Contains($"name            = \"{defaults.CompletedAtIndex}\"\n    hash_key        = \"status\"\n"
            + "    range_key       = \"completed_at\"\n    projection_type = \"ALL\"", hcl, StringComparison.Ordinal);
        Assert.Contains($"name               = \"{defaults.ActiveJobsIndex}\"\n    hash_key           = \"status\"\n"
            + "    range_key          = \"created_at\"\n    projection_type    = \"INCLUDE\"\n"
            + "    non_key_attributes = [\"instance_id\"]", hcl, StringComparison.Ordinal);

        var cli = Fenced("sh", containing: "update-table");
        var calls = cli.Split("aws dynamodb update-table", StringSplitOptions.None).Skip(1).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, call => Assert.Single(IndexNameInCall().Matches(call)));
        Assert.Contains($"\"IndexName\":\"{defaults.CompletedAtIndex}\"", calls[0], StringComparison.Ordinal);
        Assert.Contains($"wait_active {defaults.CompletedAtIndex}", calls[0], StringComparison.Ordinal);
        Assert.Contains($"\"IndexName\":\"{defaults.ActiveJobsIndex}\"", calls[1], StringComparison.Ordinal);
        Assert.Contains("\"NonKeyAttributes\":[\"instance_id\"]", calls[1], StringComparison.Ordinal);
        Assert.Contains("loses any GSI its Terraform does not declare", Doc, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_file_of_this_project_named_exists_unless_marked_in_progress()
    {
        var missing = ProjectPath().Matches(Doc)
            .Where(match => !Doc.AsSpan(match.Index + match.Length).TrimStart(' ').StartsWith(InProgress, StringComparison.Ordinal))
            .Select(match => match.Groups["path"].Value)
            .Distinct()
            .Where(path => path.EndsWith('/') ? !Directory.Exists(RepositoryFiles.PathOf(path)) : !File.Exists(RepositoryFiles.PathOf(path)))
            .ToList();

        Assert.True(missing.Count == 0, $"{DocPath} names files that do not exist (mark them {InProgress}): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Termination_statuses_the_bridge_accepts_are_in_the_termination_table()
    {
        var statusCells = string.Join(" ", MarkdownTable.After(Doc, "### Termination messages")
            .Select(r => r["Field or status"]).Where(cell => cell.StartsWith("status ", StringComparison.Ordinal)));

        foreach (var field in typeof(JobEndStatus).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var wire = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name;
            Assert.Contains($"`{wire}`", statusCells, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Housekeeping_task_types_of_this_project_are_in_the_task_table()
    {
        var ours = string.Join(" ", MarkdownTable.After(Doc, "### Housekeeping task types").Select(r => r["This project"]));

        Assert.All(Enum.GetValues<SweepKind>(), kind => Assert.Contains($"`{SweepNames.TaskType(kind)}`", ours, StringComparison.Ordinal));
    }

    [Fact]
    public void Metric_names_of_this_project_are_in_the_metrics_table()
    {
        var ours = string.Join(" ", MarkdownTable.After(Doc, "## Metrics").Select(r => r["What this project does"]));
        string[] names =
        [
            JobMetrics.JobDuration, JobMetrics.JobSuccess, JobMetrics.JobFailure,
            OrphanSweepActivities.TerminatedMetric, StaleSsmSweepActivities.DeletedMetric,
            OldJobArchivalActivities.ArchivedMetric, OrphanedJobSweepActivities.MarkedMetric,
            PoolAuditActivities.IdleCostMetric, PoolAuditActivities.ComputeCostMetric, PoolAuditActivities.UtilizationMetric,
        ];

        Assert.All(names, name => Assert.Contains($"`{name}`", ours, StringComparison.Ordinal));
        Assert.Contains($"(default `{new MetricsOptions().Namespace}`", Doc, StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_and_parameter_names_match_the_code()
    {
        var tags = MarkdownTable.After(Doc, "## EC2 tags and instance profiles").Select(r => r["Tag or profile"]).ToList();
        Assert.Contains(tags, cell => cell.StartsWith($"`{FleetTags.Managed}={FleetTags.True}`", StringComparison.Ordinal));
        Assert.Contains(tags, cell => cell.StartsWith($"`{FleetTags.Pool}=", StringComparison.Ordinal));
        Assert.Contains(tags, cell => cell.StartsWith($"`{FleetTags.Protected}={FleetTags.True}`", StringComparison.Ordinal));

        var ssm = string.Join(" ", MarkdownTable.After(Doc, "## SSM parameters").Select(r => r["Item"]));
        Assert.Contains($"`{{prefix}}/{{instance-id}}/{RunnerParameterNames.Config}`", ssm, StringComparison.Ordinal);
        Assert.Contains($"`{{prefix}}/{{instance-id}}/{RunnerParameterNames.Credential}`", ssm, StringComparison.Ordinal);
        Assert.Contains($"default `{new RunnerParameterOptions().Prefix}`", ssm, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserved_rows_table_has_the_prefix_of_every_reserved_row_the_runs_fleet_seed_writes()
    {
        var prefixes = MarkdownTable.After(Doc, "### Reserved rows").Select(r => MarkdownTable.Code(r["Row key"])).ToList();
        var now = DateTimeOffset.UnixEpoch;
        Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>[] seeded =
        [
            RunsFleetSeed.TaskLock("old_jobs", now), RunsFleetSeed.InstanceClaim("i-0123456789abcdef0", 1, now, TimeSpan.FromMinutes(5)),
            RunsFleetSeed.RunnerOffline("org/repo", 7, now), RunsFleetSeed.FleetDay(new DateOnly(2026, 1, 2), now),
        ];

        var keys = seeded.Select(row => row["pool_name"].S).ToList();
        Assert.Equal(keys.Count, prefixes.Count);
        Assert.All(keys, key => Assert.Contains(prefixes, prefix => key.StartsWith(prefix[..(prefix.IndexOf(':') + 1)], StringComparison.Ordinal)));
    }

    [Fact]
    public void Variables_named_for_this_project_are_known_with_their_defaults()
    {
        foreach (var row in MarkdownTable.After(Doc, "## Variables"))
        {
            var cell = row["This project (default)"];
            if (cell.Contains(InProgress, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var name in VariableName().Matches(cell).Select(m => m.Value))
            {
                var known = KnownEnvironmentVariables.All.SingleOrDefault(v => v.Name == name);
                Assert.True(known is not null, $"{DocPath} names {name}, which is not in KnownEnvironmentVariables");
                if (known.Default.Length > 0)
                {
                    Assert.Contains(known.Default, cell, StringComparison.Ordinal);
                }
            }
        }
    }

    private static string YesNo(bool value) => value ? "yes" : "no";

    // The first ```<language> block (containing the text when given), without its fences.
    private static string Fenced(string language, string? containing = null)
    {
        var blocks = Doc.Replace("\r\n", "\n", StringComparison.Ordinal).Split("```" + language + "\n").Skip(1)
            .Select(rest => rest[..rest.IndexOf("\n```", StringComparison.Ordinal)]);
        return blocks.First(block => containing is null || block.Contains(containing, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"`(?<path>(?:Activities|Workflows|SqsBridge|Worker|Infrastructure|Cli|Hosting|Tests|docs)/[^`\s]*)`")]
    private static partial Regex ProjectPath();

    [GeneratedRegex(@"\bRUNS_FLEET_[A-Z0-9_]+\b")]
    private static partial Regex VariableName();

    [GeneratedRegex(@"""IndexName"":")]
    private static partial Regex IndexNameInCall();
}
