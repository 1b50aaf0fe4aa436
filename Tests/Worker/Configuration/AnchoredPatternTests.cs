using System.ComponentModel.DataAnnotations;
using System.Reflection;
using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Metrics;
using RunsFleet.Activities.Requeue;
using RunsFleet.Activities.Runners;
using RunsFleet.Activities.Sweeps.OldJobs;
using RunsFleet.Activities.Sweeps.OrphanedJobs;
using RunsFleet.Activities.Sweeps.Orphans;
using RunsFleet.Activities.Sweeps.PoolAudit;
using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Contracts.Common;

namespace RunsFleet.Tests.Worker.Configuration;

/// <summary>
/// Every settings pattern ends with \z: in .NET "$" also matches before a final "\n", so a
/// value with a trailing newline would pass a "$"-anchored check.
/// </summary>
public sealed class AnchoredPatternTests
{
    public static TheoryData<Type, string, string> PatternedSettings => new()
    {
        { typeof(JobsTableOptions), nameof(JobsTableOptions.TableName), "runs-fleet-jobs" },
        { typeof(JobsTableOptions), nameof(JobsTableOptions.InstanceIdIndex), "instance-id-index" },
        { typeof(JobsTableOptions), nameof(JobsTableOptions.CompletedAtIndex), "completed_at-index" },
        { typeof(JobsTableOptions), nameof(JobsTableOptions.ActiveJobsIndex), "status-created_at-index" },
        { typeof(StaleSsmSweepOptions), nameof(StaleSsmSweepOptions.ParameterPrefix), "/runs-fleet/runners/" },
        { typeof(OldJobArchivalOptions), nameof(OldJobArchivalOptions.ArchiveBucket), "fleet-archive" },
        { typeof(OldJobArchivalOptions), nameof(OldJobArchivalOptions.ArchivePrefix), "runs-fleet/jobs-archive" },
        { typeof(PoolAuditOptions), nameof(PoolAuditOptions.PoolsTableName), "runs-fleet-pools" },
        { typeof(OrphanSweepOptions), nameof(OrphanSweepOptions.PoolsTableName), "runs-fleet-pools" },
        { typeof(PoolAuditOptions), nameof(PoolAuditOptions.ReportPrefix), "pool-audit/" },
        { typeof(MetricsOptions), nameof(MetricsOptions.Namespace), "RunsFleet" },
        { typeof(RunnerParameterOptions), nameof(RunnerParameterOptions.Prefix), "/runs-fleet/runners" },
        {
            typeof(JobQueueOptions),
            nameof(JobQueueOptions.QueueUrl),
            "https://sqs.eu-west-1.amazonaws.com/123456789012/runs-fleet-main.fifo"
        },
        { typeof(OrphanedJobSweepOptions), nameof(OrphanedJobSweepOptions.Statuses), "running,assigned" },
        { typeof(OrphanSweepOptions), nameof(OrphanSweepOptions.RunnerInstanceProfile), "arn:aws:iam::123456789012:instance-profile/runs-fleet-runner" },
        { typeof(OrphanSweepOptions), nameof(OrphanSweepOptions.RunnerInstanceProfile), "runs-fleet-runner" },
    };

    [Theory]
    [MemberData(nameof(PatternedSettings))]
    public void A_valid_setting_with_a_trailing_newline_is_refused(Type options, string property, string valid)
    {
        var pattern = options.GetProperty(property)!.GetCustomAttribute<RegularExpressionAttribute>()!;

        Assert.EndsWith("\\z", pattern.Pattern, StringComparison.Ordinal);
        Assert.True(pattern.IsValid(valid));
        Assert.False(pattern.IsValid(valid + "\n"));
    }

    [Fact]
    public void Every_patterned_setting_of_the_activities_is_listed_above()
    {
        var listed = PatternedSettings.Select(row => $"{((Type)row[0]).Name}.{row[1]}").ToHashSet(StringComparer.Ordinal);
        var found = typeof(JobsTableOptions).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties().Where(p => p.GetCustomAttribute<RegularExpressionAttribute>() is not null).Select(p => $"{t.Name}.{p.Name}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(found.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Instance_ids_and_parameter_prefixes_with_a_trailing_newline_are_refused()
    {
        Assert.True(InstanceIds.IsValid("i-0a1b2c3d"));
        Assert.False(InstanceIds.IsValid("i-0a1b2c3d\n"));
        Assert.True(RunnerParameterOptions.IsValidPrefix("/runs-fleet/runners"));
        Assert.False(RunnerParameterOptions.IsValidPrefix("/runs-fleet/runners\n"));
    }
}
