using RunsFleet.Activities.Jobs;
using RunsFleet.Activities.Preflight;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Activities.Preflight;

/// <summary>
/// The exact fixes the preflight and the IndexMissing failure give (docs/operator-guide.md and
/// docs/runs-fleet-compatibility.md quote them), and which projections serve each index's readers.
/// </summary>
public class IndexFixTests
{
    private static readonly JobsTableOptions Table = new();

    [Fact]
    public void The_update_table_commands_create_each_index_with_its_keys_and_projection()
    {
        Assert.Equal(
            "aws dynamodb update-table --table-name runs-fleet-jobs --attribute-definitions AttributeName=status,AttributeType=S "
            + "AttributeName=created_at,AttributeType=S --global-secondary-index-updates '[{\"Create\":{\"IndexName\":\"status-created_at-index\","
            + "\"KeySchema\":[{\"AttributeName\":\"status\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"created_at\",\"KeyType\":\"RANGE\"}],"
            + "\"Projection\":{\"ProjectionType\":\"INCLUDE\",\"NonKeyAttributes\":[\"instance_id\"]}}}]'",
            IndexFix.CreateCommand("runs-fleet-jobs", JobsIndexRequirement.ActiveJobs(Table)));
        Assert.Equal(
            "aws dynamodb update-table --table-name runs-fleet-jobs --attribute-definitions AttributeName=status,AttributeType=S "
            + "AttributeName=completed_at,AttributeType=S --global-secondary-index-updates '[{\"Create\":{\"IndexName\":\"completed_at-index\","
            + "\"KeySchema\":[{\"AttributeName\":\"status\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"completed_at\",\"KeyType\":\"RANGE\"}],"
            + "\"Projection\":{\"ProjectionType\":\"ALL\"}}}]'",
            IndexFix.CreateCommand("runs-fleet-jobs", JobsIndexRequirement.CompletedAt(Table)));
        Assert.Equal(
            "aws dynamodb update-table --table-name jobs --attribute-definitions AttributeName=instance_id,AttributeType=S "
            + "--global-secondary-index-updates '[{\"Create\":{\"IndexName\":\"instance-id-index\","
            + "\"KeySchema\":[{\"AttributeName\":\"instance_id\",\"KeyType\":\"HASH\"}],\"Projection\":{\"ProjectionType\":\"ALL\"},"
            + "\"ProvisionedThroughput\":{\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":2}}}]'",
            IndexFix.CreateCommand("jobs", JobsIndexRequirement.InstanceId(Table), (5, 2)));
    }

    [Fact]
    public void The_terraform_blocks_declare_a_key_attribute_runs_fleet_lacks_and_nothing_it_has()
    {
        Assert.Equal(
            "global_secondary_index {\n"
            + "  name               = \"status-created_at-index\"\n"
            + "  hash_key           = \"status\"\n"
            + "  range_key          = \"created_at\"\n"
            + "  projection_type    = \"INCLUDE\"\n"
            + "  non_key_attributes = [\"instance_id\"]\n"
            + "}",
            IndexFix.TerraformBlock(JobsIndexRequirement.ActiveJobs(Table)));
        Assert.Equal(
            "attribute {\n  name = \"completed_at\"\n  type = \"S\"\n}\n\n"
            + "global_secondary_index {\n"
            + "  name            = \"completed_at-index\"\n"
            + "  hash_key        = \"status\"\n"
            + "  range_key       = \"completed_at\"\n"
            + "  projection_type = \"ALL\"\n"
            + "}",
            IndexFix.TerraformBlock(JobsIndexRequirement.CompletedAt(Table)));
        Assert.Contains("terraform apply restores it", IndexFix.TerraformSummary(JobsIndexRequirement.InstanceId(Table)), StringComparison.Ordinal);
        Assert.Contains("is removed by its next apply", IndexFix.TerraformSummary(JobsIndexRequirement.CompletedAt(Table)), StringComparison.Ordinal);
    }

    [Fact]
    public void Index_names_and_variables_come_from_the_settings()
    {
        var renamed = new JobsTableOptions { ActiveJobsIndex = "active-v2", CompletedAtIndex = "done", InstanceIdIndex = "by-instance" };

        Assert.Equal(["by-instance", "active-v2", "done"], JobsIndexRequirement.All(renamed).Select(r => r.Name));
        Assert.Equal(
            ["RUNS_FLEET_JOBS_INSTANCE_ID_GSI", "RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI", "RUNS_FLEET_JOBS_COMPLETED_AT_GSI"],
            JobsIndexRequirement.All(renamed).Select(r => r.Variable));
        Assert.Equal("HASH status, RANGE created_at", JobsIndexRequirement.Named(renamed, "active-v2")!.KeysText);
        Assert.Null(JobsIndexRequirement.Named(renamed, "status-created_at-index"));
    }

    [Fact]
    public void The_operator_guide_quotes_the_fixes_and_the_failure_as_the_code_writes_them()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "docs", "operator-guide.md"));
        var failure = MissingIndex.Failure(Table, "status-created_at-index", "ValidationException", "The table does not have the specified index: status-created_at-index");

        Assert.Contains(failure.Message, guide, StringComparison.Ordinal);
        foreach (var index in JobsIndexRequirement.All(Table).Skip(1))
        {
            Assert.Contains("  fix: " + IndexFix.CreateCommand("runs-fleet-jobs", index) + "\n", guide, StringComparison.Ordinal);
            Assert.Contains(string.Join("\n", IndexFix.TerraformBlock(index).Split('\n').Select(l => l.Length == 0 ? l : "    " + l)), guide, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("ALL", "", true, true, true)]
    [InlineData("INCLUDE", "instance_id", false, false, true)]
    [InlineData("INCLUDE", "status,completed_at", false, false, false)]
    [InlineData("INCLUDE", "status,completed_at,run_id,repo,instance_type,pool,retry_count,original_label", true, false, false)]
    [InlineData("INCLUDE", "status", false, false, false)]
    [InlineData("KEYS_ONLY", "", false, false, false)]
    public void A_projection_serves_an_index_only_when_it_holds_what_its_readers_read(
        string type, string attributes, bool instanceId, bool completedAt, bool activeJobs)
    {
        var nonKey = attributes.Split(',', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(instanceId, JobsIndexRequirement.InstanceId(Table).IsServedBy(type, nonKey));
        Assert.Equal(completedAt, JobsIndexRequirement.CompletedAt(Table).IsServedBy(type, nonKey));
        Assert.Equal(activeJobs, JobsIndexRequirement.ActiveJobs(Table).IsServedBy(type, nonKey));
    }
}
