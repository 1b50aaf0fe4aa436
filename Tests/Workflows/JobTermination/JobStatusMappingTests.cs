using RunsFleet.Activities.Jobs;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Workflows.JobTermination;

namespace RunsFleet.Tests.Workflows.JobTermination;

public sealed class JobStatusMappingTests
{
    [Theory]
    [InlineData(JobEndStatus.Success, "success", true)]
    [InlineData(JobEndStatus.Failure, "failure", false)]
    [InlineData(JobEndStatus.Timeout, "timeout", false)]
    [InlineData(JobEndStatus.Interrupted, "interrupted", false)]
    public void Job_ends_map_to_terminal_record_statuses(JobEndStatus status, string recordStatus, bool success)
    {
        Assert.True(JobStatusMapping.EndsJob(status));
        Assert.Equal(recordStatus, JobStatusMapping.ToRecordStatus(status));
        Assert.True(JobRecord.IsTerminal(JobStatusMapping.ToRecordStatus(status)));
        Assert.Equal(success, JobStatusMapping.CountsAsSuccess(status));
    }

    [Theory]
    [InlineData(JobEndStatus.Started)]
    [InlineData(JobEndStatus.BootstrapFailed)]
    public void Start_and_bootstrap_reports_do_not_end_a_job(JobEndStatus status)
    {
        Assert.False(JobStatusMapping.EndsJob(status));
        Assert.False(JobStatusMapping.CountsAsSuccess(status));
        Assert.Throws<ArgumentOutOfRangeException>(() => JobStatusMapping.ToRecordStatus(status));
    }
}
