using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Jobs;

/// <summary>The DynamoDB requests behind JobRecordActivities. A completion carries the guard: the
/// record exists, belongs to the reporting instance and is not terminal yet; a start report
/// needs the record to be this instance's and launched or claiming. Attribute
/// names go through placeholders because status (and others) are DynamoDB reserved words.</summary>
internal static class JobRecordRequests
{
    // Agents may send whole logs as error text; the record keeps the start of it.
    private const int MaxErrorLength = 2048;

    /// <summary>Conditional update marking the job terminal; returns the item as it is afterwards.</summary>
    public static UpdateItemRequest Complete(string tableName, CompleteJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var values = GuardValues(request.InstanceId);
        var sets = new List<string>();
        AddSet(sets, values, JobRecord.Status, new AttributeValue { S = request.Status });
        AddSet(sets, values, JobRecord.CompletedAt,
            new AttributeValue { S = JobRecord.FormatTimestamp(request.CompletedAt) });
        AddSet(sets, values, JobRecord.ExitCode,
            new AttributeValue { N = request.ExitCode.ToString(CultureInfo.InvariantCulture) });
        AddSet(sets, values, JobRecord.DurationSeconds,
            new AttributeValue { N = request.DurationSeconds.ToString("R", CultureInfo.InvariantCulture) });
        if (request.StartedAt is { } startedAt)
        {
            // The start report may already have written the authoritative value.
            values[":started_at"] = new AttributeValue { S = JobRecord.FormatTimestamp(startedAt) };
            sets.Add("#started_at = if_not_exists(#started_at, :started_at)");
        }

        if (!string.IsNullOrWhiteSpace(request.Error))
        {
            var error = request.Error.Length > MaxErrorLength ? request.Error[..MaxErrorLength] : request.Error;
            AddSet(sets, values, JobRecord.Error, new AttributeValue { S = error });
        }

        if (!string.IsNullOrWhiteSpace(request.InterruptedBy))
        {
            AddSet(sets, values, JobRecord.InterruptedBy, new AttributeValue { S = request.InterruptedBy });
        }

        return JobAttributes.Update(
            tableName, request.JobId, "SET " + string.Join(", ", sets), Guard, values, ReturnValue.ALL_NEW);
    }

    /// <summary>Conditional update confirming the runner: status running and started_at, only on a record
    /// this instance owns that is launched or claiming; returns the item as it is afterwards (its
    /// pool, created_at, instance_type and pool hits feed the confirmation metrics). runs-fleet's
    /// MarkJobStarted (pkg/db/jobs.go:378) writes the same two attributes, conditioned on launched
    /// alone; the instance condition keeps a stale agent of a re-dispatched job from confirming
    /// the new instance's record.</summary>
    public static UpdateItemRequest Start(string tableName, RecordJobStartedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JobAttributes.Update(
            tableName,
            request.JobId,
            "SET #status = :running, #started_at = :started_at",
            "#instance_id = :instance_id AND #status IN (:launched, :claiming)",
            new()
            {
                [":instance_id"] = new() { S = request.InstanceId },
                [":running"] = new() { S = JobRecord.Running },
                [":launched"] = new() { S = JobRecord.Launched },
                [":claiming"] = new() { S = JobRecord.Claiming },
                [":started_at"] = new() { S = JobRecord.FormatTimestamp(request.StartedAt) },
            },
            ReturnValue.ALL_NEW);
    }

    /// <summary>Consistent read of the fields that explain a failed condition.</summary>
    public static GetItemRequest Read(string tableName, long jobId) =>
        JobAttributes.Get(tableName, jobId, "#job_id, #instance_id, #status, #started_at, #pool");

    /// <summary>The fields the decisions need, from an item (null or empty: no record).</summary>
    public static JobRecordDecisions.Snapshot ToSnapshot(Dictionary<string, AttributeValue>? item)
    {
        // SDK v4 returns null (not an empty map) when there is no item.
        if (item is null || item.Count == 0)
        {
            return new JobRecordDecisions.Snapshot(false, null, null, null, null);
        }

        return new JobRecordDecisions.Snapshot(
            true,
            JobAttributes.Text(item, JobRecord.InstanceId),
            JobAttributes.Text(item, JobRecord.Status),
            JobAttributes.Text(item, JobRecord.StartedAt),
            JobAttributes.Text(item, JobRecord.Pool));
    }

    // Exists, ours, and not in any terminal status (a record without status counts as active).
    private static string Guard =>
        "attribute_exists(#job_id) AND #instance_id = :instance_id AND NOT (#status IN ("
        + string.Join(", ", JobRecord.TerminalStatuses.Select((_, i) => TerminalPlaceholder(i)))
        + "))";

    private static Dictionary<string, AttributeValue> GuardValues(string instanceId)
    {
        var values = new Dictionary<string, AttributeValue> { [":instance_id"] = new() { S = instanceId } };
        for (var i = 0; i < JobRecord.TerminalStatuses.Count; i++)
        {
            values[TerminalPlaceholder(i)] = new AttributeValue { S = JobRecord.TerminalStatuses[i] };
        }

        return values;
    }

    private static string TerminalPlaceholder(int index) => ":terminal" + index.ToString(CultureInfo.InvariantCulture);

    private static void AddSet(
        List<string> sets, Dictionary<string, AttributeValue> values, string attribute, AttributeValue value)
    {
        values[":" + attribute] = value;
        sets.Add($"#{attribute} = :{attribute}");
    }
}
