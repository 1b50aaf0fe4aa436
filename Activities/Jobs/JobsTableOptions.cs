using System.ComponentModel.DataAnnotations;

namespace RunsFleet.Activities.Jobs;

/// <summary>Where the fleet's job records live (the runs-fleet jobs table).</summary>
public sealed class JobsTableOptions
{
    /// <summary>Table name (RUNS_FLEET_JOBS_TABLE).</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_.-]{3,255}\z",
        ErrorMessage = "must be a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)")]
    public string TableName { get; set; } = "runs-fleet-jobs";

    /// <summary>GSI with partition key status and sort key completed_at (OldJobArchival). This project
    /// adds it to runs-fleet's table (docs/runs-fleet-compatibility.md has the Terraform block).</summary>
    [Required]
    [RegularExpression(IndexNamePattern, ErrorMessage = IndexNameProblem)]
    public string CompletedAtIndex { get; set; } = "completed_at-index";

    /// <summary>GSI with partition key instance_id: runs-fleet's own instance-id-index
    /// (deploy/terraform/dynamodb.tf), which its RUNS_FLEET_JOBS_INSTANCE_ID_GSI also names.</summary>
    [Required]
    [RegularExpression(IndexNamePattern, ErrorMessage = IndexNameProblem)]
    public string InstanceIdIndex { get; set; } = "instance-id-index";

    /// <summary>GSI with partition key status and sort key created_at, projecting instance_id: the active
    /// jobs (OrphanSweep, PoolAudit, OrphanedJobSweep). This project adds it to runs-fleet's table.</summary>
    [Required]
    [RegularExpression(IndexNamePattern, ErrorMessage = IndexNameProblem)]
    public string ActiveJobsIndex { get; set; } = "status-created_at-index";

    private const string IndexNamePattern = @"^[A-Za-z0-9_.-]{3,255}\z";
    private const string IndexNameProblem = "must be a DynamoDB index name (3-255 of A-Z a-z 0-9 _ . -)";
}
