using System.Text.Json;

namespace RunsFleet.Tests.Infrastructure.Data;

/// <summary>
/// The jobs and pools tables when the stack creates them: exactly as runs-fleet's deploy/terraform/dynamodb.tf
/// (at 2bb4703) creates them, plus this project's two jobs-table indexes; and the first step of migrating a jobs
/// table an earlier release created (one GSI per stack update).
/// </summary>
[Collection(SynthesizedStacksCollection.Name)]
public class CreatedTablesTemplateTests(SynthesizedStacksFixture stacks)
{
    private static readonly string[] RunsFleetIndexes =
    [
        // dynamodb.tf:61-79
        "pool-created-at-index: pool HASH, created_at RANGE; ALL",
        "instance-id-index: instance_id HASH; ALL",
        "pool-status-index: pool HASH, status RANGE; ALL",
    ];

    private static readonly string[] ProjectIndexes =
    [
        "completed_at-index: status HASH, completed_at RANGE; ALL",
        "status-created_at-index: status HASH, created_at RANGE; INCLUDE instance_id",
    ];

    [Fact]
    public void Created_jobs_table_has_runs_fleet_key_and_indexes_plus_exactly_the_two_of_this_project()
    {
        var (resource, table, _) = Table(stacks.WithCreatedJobsTable, "runs-fleet-jobs");

        Assert.Equal(["job_id HASH"], KeySchema(table.GetProperty("KeySchema")));
        Assert.Equal(RunsFleetIndexes.Concat(ProjectIndexes).Order(StringComparer.Ordinal), Indexes(table));
        Assert.Equal(
            ["completed_at S", "created_at S", "instance_id S", "job_id N", "pool S", "status S"],
            Attributes(table));
        Assert.Equal("PAY_PER_REQUEST", table.GetProperty("BillingMode").GetString());
        Assert.True(PointInTimeRecovery(table));
        Assert.Equal("Retain", resource.GetProperty("DeletionPolicy").GetString());
    }

    [Fact]
    public void Created_pools_table_is_runs_fleets_key_pool_name_with_ttl_on_claim_expiry_and_pitr()
    {
        var (resource, table, _) = Table(stacks.WithCreatedJobsTable, "runs-fleet-pools");

        // dynamodb.tf:97-120: no GSI; TTL reaps only __instance_claim: rows (the only ones with claim_expiry).
        Assert.Equal(["pool_name HASH"], KeySchema(table.GetProperty("KeySchema")));
        Assert.Equal(["pool_name S"], Attributes(table));
        Assert.False(table.TryGetProperty("GlobalSecondaryIndexes", out _));
        var ttl = table.GetProperty("TimeToLiveSpecification");
        Assert.Equal("claim_expiry", ttl.GetProperty("AttributeName").GetString());
        Assert.True(ttl.GetProperty("Enabled").GetBoolean());
        Assert.True(PointInTimeRecovery(table));
        Assert.Equal("PAY_PER_REQUEST", table.GetProperty("BillingMode").GetString());
        Assert.Equal("Retain", resource.GetProperty("DeletionPolicy").GetString());
        Assert.Equal(2, stacks.WithCreatedJobsTable.Resources("AWS::DynamoDB::Table").Count());
    }

    [Fact]
    public void Worker_grants_and_variables_name_the_created_tables_and_their_indexes()
    {
        var stack = stacks.WithCreatedJobsTable;
        var jobs = Table(stack, "runs-fleet-jobs").Id;
        var pools = Table(stack, "runs-fleet-pools").Id;
        var statements = stack.TaskRoleStatements("worker");
        var env = stack.EnvironmentOf("worker");

        string[] indexes = ["completed_at-index", "instance-id-index", "status-created_at-index"];
        Assert.Equal(
            ["${" + jobs + ".Arn}", .. indexes.Select(index => "${" + jobs + ".Arn}/index/" + index)],
            ResourcesOf(statements, "dynamodb:Query"));
        Assert.Equal(["${" + jobs + ".Arn}"], ResourcesOf(statements, "dynamodb:UpdateItem"));
        Assert.Equal(["${" + pools + ".Arn}"], ResourcesOf(statements, "dynamodb:Scan"));
        Assert.Equal("instance-id-index", env["RUNS_FLEET_JOBS_INSTANCE_ID_GSI"]);
        Assert.Equal("completed_at-index", env["RUNS_FLEET_JOBS_COMPLETED_AT_GSI"]);
        Assert.Equal("status-created_at-index", env["RUNS_FLEET_JOBS_STATUS_CREATED_AT_GSI"]);
    }

    [Fact]
    public void First_migration_step_keeps_the_earlier_three_indexes_and_hands_the_old_name_to_the_worker()
    {
        // What an earlier release created (createJobsTable=true): any other set would be more than one GSI change.
        var stack = stacks.WithMigratingJobsTable;
        var (_, table, _) = Table(stack, "runs-fleet-jobs");
        var statements = stack.TaskRoleStatements("worker");

        Assert.Equal(
            [ProjectIndexes[0], "instance_id-index: instance_id HASH; ALL", ProjectIndexes[1]],
            Indexes(table));
        Assert.Equal("instance_id-index", stack.EnvironmentOf("worker")["RUNS_FLEET_JOBS_INSTANCE_ID_GSI"]);
        var queried = ResourcesOf(statements, "dynamodb:Query");
        Assert.Contains(queried, arn => arn.EndsWith("/index/instance_id-index", StringComparison.Ordinal));
        Assert.DoesNotContain(queried, arn => arn.EndsWith("/index/instance-id-index", StringComparison.Ordinal));
        Assert.Single(stack.Resources("AWS::DynamoDB::Table"));
    }

    [Fact]
    public void Created_indexes_list_the_workers_three_first_so_an_earlier_table_only_gains_indexes_at_the_end()
    {
        var names = Table(stacks.WithCreatedJobsTable, "runs-fleet-jobs").Properties
            .GetProperty("GlobalSecondaryIndexes").EnumerateArray()
            .Select(index => index.GetProperty("IndexName").GetString()).ToList();

        Assert.Equal(
            ["completed_at-index", "instance-id-index", "status-created_at-index", "pool-created-at-index", "pool-status-index"],
            names);
    }

    private static (JsonElement Resource, JsonElement Properties, string Id) Table(SynthesizedStack stack, string name)
    {
        var resource = stack.Json.GetProperty("Resources").EnumerateObject().Single(r =>
            r.Value.GetProperty("Type").GetString() == "AWS::DynamoDB::Table"
            && r.Value.GetProperty("Properties").GetProperty("TableName").GetString() == name);
        return (resource.Value, resource.Value.GetProperty("Properties"), resource.Name);
    }

    private static IEnumerable<string> KeySchema(JsonElement schema) =>
        schema.EnumerateArray().Select(key =>
            $"{key.GetProperty("AttributeName").GetString()} {key.GetProperty("KeyType").GetString()}");

    private static bool PointInTimeRecovery(JsonElement table) =>
        table.GetProperty("PointInTimeRecoverySpecification").GetProperty("PointInTimeRecoveryEnabled").GetBoolean();

    private static List<string> Attributes(JsonElement table) =>
        [.. table.GetProperty("AttributeDefinitions").EnumerateArray()
            .Select(a => $"{a.GetProperty("AttributeName").GetString()} {a.GetProperty("AttributeType").GetString()}")
            .Order(StringComparer.Ordinal)];

    /// <summary>Each GSI as "name: keys; projection", sorted: the whole set, so an extra or missing one fails.</summary>
    private static List<string> Indexes(JsonElement table) =>
        [.. table.GetProperty("GlobalSecondaryIndexes").EnumerateArray().Select(index =>
        {
            var projection = index.GetProperty("Projection");
            var type = projection.GetProperty("ProjectionType").GetString();
            var included = projection.TryGetProperty("NonKeyAttributes", out var attributes)
                ? " " + string.Join(',', attributes.EnumerateArray().Select(a => a.GetString()))
                : string.Empty;
            var keys = string.Join(", ", KeySchema(index.GetProperty("KeySchema")));
            return $"{index.GetProperty("IndexName").GetString()}: {keys}; {type}{included}";
        }).Order(StringComparer.Ordinal)];

    private static IReadOnlyList<string> ResourcesOf(IReadOnlyList<JsonElement> statements, string action) =>
        SynthesizedStack.ResourcesOf(Assert.Single(statements, s => SynthesizedStack.Actions(s).Contains(action)));
}
