namespace RunsFleet.Activities.Preflight;

/// <summary>A table this project reads and how runs-fleet's Terraform defines it.</summary>
/// <param name="Variable">The variable naming it.</param>
/// <param name="What">"jobs table" or "pools table".</param>
/// <param name="DefaultName">runs-fleet's name of it.</param>
/// <param name="HashKey">runs-fleet's partition key.</param>
/// <param name="HashType">Its type.</param>
public sealed record TableRequirement(string Variable, string What, string DefaultName, string HashKey, string HashType)
{
    /// <summary>runs-fleet's jobs table (deploy/terraform/dynamodb.tf:31-39: runs-fleet-jobs, job_id N).</summary>
    public static TableRequirement Jobs { get; } =
        new("RUNS_FLEET_JOBS_TABLE", "jobs table", "runs-fleet-jobs", "job_id", "N");

    /// <summary>runs-fleet's pools table (dynamodb.tf:97-105: runs-fleet-pools, pool_name S).</summary>
    public static TableRequirement Pools { get; } =
        new("RUNS_FLEET_POOLS_TABLE", "pools table", "runs-fleet-pools", "pool_name", "S");
}

/// <summary>Pure verdicts on what DescribeTable answered: is the table there, ACTIVE and keyed as runs-fleet
/// keys it, and is each index this project queries there, ACTIVE, with the right keys and projection.
/// Each problem comes with its one fix.</summary>
public static class TableRules
{
    /// <summary>The problem with a table, or null when it is usable.</summary>
    public static PreflightFinding? Table(TableProbe probe, TableRequirement required)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(required);
        var (variable, what) = (required.Variable, required.What);
        var (hashKey, hashType) = (required.HashKey, required.HashType);
        var name = probe.Name;
        if (probe.NotFound)
        {
            return PreflightFinding.NotReady(
                $"the {what} {name} does not exist in this account and region (DescribeTable: {probe.Failure})",
                $"set {variable} to the name of runs-fleet's {what} (its deploy/terraform/dynamodb.tf creates "
                + $"{required.DefaultName}), and check AWS_REGION");
        }

        if (probe.Shape is not { } table)
        {
            return PreflightFinding.Unchecked(
                $"could not read the {what} {name}: {probe.Failure}",
                $"check the credentials and network, and allow dynamodb:DescribeTable on {name} to this identity (the "
                + "worker's task role has it)");
        }

        if (table.Status == "CREATING")
        {
            return PreflightFinding.NotReady(
                $"the {what} {name} is being created",
                $"wait until it is ACTIVE: aws dynamodb describe-table --table-name {name} --query Table.TableStatus");
        }

        if (table.Status is not ("ACTIVE" or "UPDATING"))
        {
            return PreflightFinding.NotReady(
                $"the {what} {name} is {table.Status}", $"set {variable} to runs-fleet's {what}, which must be ACTIVE");
        }

        if (table.HashKey != hashKey || table.HashKeyType != hashType)
        {
            return PreflightFinding.NotReady(
                $"the {what} {name} is keyed HASH {table.HashKey} ({table.HashKeyType}), not as runs-fleet's: HASH "
                + $"{hashKey} ({hashType})",
                $"set {variable} to the name of runs-fleet's {what} (key {hashKey}, type {hashType})");
        }

        return null;
    }

    /// <summary>The problem with <paramref name="index"/> on the jobs table, or null when it serves its readers
    /// (or the table itself could not be read: <see cref="Table"/> reports that).</summary>
    public static PreflightFinding? Index(TableProbe jobs, JobsIndexRequirement index)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(index);
        if (jobs.Shape is not { } table)
        {
            return null;
        }

        var name = table.Name;
        var terraform = $"{IndexFix.TerraformSummary(index)}:\n{IndexFix.TerraformBlock(index)}";
        if (table.Index(index.Name) is not { } found)
        {
            // DynamoDB builds one new index per table at a time and refuses a second meanwhile.
            var building = table.Indexes.FirstOrDefault(i => i.Status == "CREATING" || i.Backfilling);
            var create = IndexFix.CreateCommand(name, index, table.Capacity);
            return PreflightFinding.NotReady(
                $"the jobs table {name} has no index {index.Name} ({index.KeysText}; projection "
                + $"{index.ProjectionText})",
                building is null
                    ? create
                    : $"once {building.Name} is ACTIVE (DynamoDB creates one index at a time; "
                        + $"{IndexFix.WaitCommand(name, building.Name)}): {create}",
                terraform);
        }

        if (found.HashKey != index.HashKey || found.RangeKey != index.RangeKey
            || !index.IsServedBy(found.ProjectionType, found.NonKeyAttributes))
        {
            var renamed = index with { Name = index.Name + "-v2" };
            return PreflightFinding.NotReady(
                $"the index {index.Name} of {name} has {found.KeysText}, projection {found.ProjectionType}; "
                + $"needed: {index.KeysText}, projection {index.ProjectionText} (an index's keys and projection "
                + "cannot change)",
                $"create the right one under another name, then set {index.Variable}={renamed.Name}: "
                + $"{IndexFix.CreateCommand(name, renamed, table.Capacity)}",
                $"{IndexFix.TerraformSummary(renamed)}:\n{IndexFix.TerraformBlock(renamed)}");
        }

        if (found.Status == "CREATING" || found.Backfilling)
        {
            return PreflightFinding.NotReady(
                $"the index {index.Name} of {name} is being created (backfilling); queries fail until it is ACTIVE",
                $"wait until it is ACTIVE: {IndexFix.WaitCommand(name, index.Name)}");
        }

        if (found.Status == "DELETING")
        {
            return PreflightFinding.NotReady(
                $"the index {index.Name} of {name} is being deleted",
                $"wait until it is gone ({IndexFix.WaitCommand(name, index.Name)} prints nothing), then create it "
                + $"again: {IndexFix.CreateCommand(name, index, table.Capacity)}",
                terraform);
        }

        // UPDATING (a capacity change) still serves reads.
        return found.Status is "ACTIVE" or "UPDATING"
            ? null
            : PreflightFinding.NotReady(
                $"the index {index.Name} of {name} is {found.Status}",
                $"wait until it is ACTIVE: {IndexFix.WaitCommand(name, index.Name)}");
    }
}
