using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Runners;
using Temporalio.Activities;
using Temporalio.Exceptions;

namespace RunsFleet.Activities.Jobs;

/// <summary>
/// Writes a job's start and end to its record in the jobs table. Every write is a
/// conditional update (record exists, belongs to the reporting instance, not yet
/// terminal), so redelivered messages, retries and late reports never change a finished
/// job; when the condition fails the record is read back to say why.
/// </summary>
public sealed class JobRecordActivities
{
    /// <summary>Failure type when the record changed between the update and the read-back (retryable).</summary>
    public const string ConcurrentUpdate = "ConcurrentJobUpdate";

    // Agents may send whole logs as error text; the record keeps the start of it.
    private const int MaxErrorLength = 2048;

    private readonly IAmazonDynamoDB dynamo;
    private readonly JobsTableOptions table;
    private readonly ILogger<JobRecordActivities> logger;

    /// <summary>Creates the activities.</summary>
    public JobRecordActivities(IAmazonDynamoDB dynamo, IOptions<JobsTableOptions> options, ILogger<JobRecordActivities> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        this.table = options.Value;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Marks the job terminal if this instance owns its record and it has not ended yet.</summary>
    [Activity]
    public async Task<CompleteJobResult> CompleteJobAsync(CompleteJobRequest request)
    {
        Validate(request);
        var names = new Dictionary<string, string>
        {
            ["#job_id"] = JobRecord.JobId,
            ["#instance_id"] = JobRecord.InstanceId,
            ["#status"] = JobRecord.Status,
            ["#completed_at"] = JobRecord.CompletedAt,
            ["#exit_code"] = JobRecord.ExitCode,
            ["#duration_seconds"] = JobRecord.DurationSeconds,
        };
        var values = new Dictionary<string, AttributeValue>
        {
            [":instance_id"] = new() { S = request.InstanceId },
            [":status"] = new() { S = request.Status },
            [":completed_at"] = new() { S = JobRecord.FormatTimestamp(request.CompletedAt) },
            [":exit_code"] = new() { N = request.ExitCode.ToString(CultureInfo.InvariantCulture) },
            [":duration_seconds"] = new() { N = request.DurationSeconds.ToString("R", CultureInfo.InvariantCulture) },
        };
        var sets = new List<string>
        {
            "#status = :status",
            "#completed_at = :completed_at",
            "#exit_code = :exit_code",
            "#duration_seconds = :duration_seconds",
        };
        if (request.StartedAt is { } startedAt)
        {
            // The start report may already have written the authoritative value.
            names["#started_at"] = JobRecord.StartedAt;
            values[":started_at"] = new() { S = JobRecord.FormatTimestamp(startedAt) };
            sets.Add("#started_at = if_not_exists(#started_at, :started_at)");
        }

        AddOptionalText(sets, names, values, JobRecord.Error, Truncate(request.Error));
        AddOptionalText(sets, names, values, JobRecord.InterruptedBy, request.InterruptedBy);
        var terminal = AddTerminalStatusValues(values);

        var update = new UpdateItemRequest
        {
            TableName = this.table.TableName,
            Key = Key(request.JobId),
            UpdateExpression = "SET " + string.Join(", ", sets),
            ConditionExpression = $"attribute_exists(#job_id) AND #instance_id = :instance_id AND NOT (#status IN ({terminal}))",
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
            ReturnValues = ReturnValue.ALL_NEW,
        };

        try
        {
            var response = await this.dynamo.UpdateItemAsync(update, Token());
            var updated = ToSnapshot(response.Attributes);
            this.logger.LogInformation(
                "Job {JobId} on {InstanceId} marked {Status}",
                request.JobId,
                request.InstanceId,
                request.Status);
            return new CompleteJobResult(CompleteJobOutcome.Completed, updated.Pool, updated.Status ?? request.Status, request.InstanceId);
        }
        catch (ConditionalCheckFailedException)
        {
            var record = await this.ReadAsync(request.JobId);
            var outcome = JobRecordDecisions.AfterFailedCompletion(record, request.InstanceId)
                ?? throw Concurrent(request.JobId);
            this.logger.LogInformation(
                "Job {JobId} not completed by {InstanceId}: {Outcome} (record instance {RecordInstanceId}, status {RecordStatus})",
                request.JobId,
                request.InstanceId,
                outcome,
                record.InstanceId,
                record.Status);
            return new CompleteJobResult(outcome, record.Pool, record.Status, record.InstanceId);
        }
        catch (AmazonServiceException ex)
        {
            this.logger.LogWarning(ex, "UpdateItem of job {JobId} failed with {ErrorCode}", request.JobId, ex.ErrorCode);
            throw AwsFailures.ToFailure(ex, "UpdateItem");
        }
    }

    /// <summary>Writes started_at once, if this instance owns the record and the job has not ended.</summary>
    [Activity]
    public async Task<RecordJobStartedResult> RecordJobStartedAsync(RecordJobStartedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateKey(request.JobId, request.InstanceId);
        var startedAt = JobRecord.FormatTimestamp(request.StartedAt);
        var values = new Dictionary<string, AttributeValue>
        {
            [":instance_id"] = new() { S = request.InstanceId },
            [":started_at"] = new() { S = startedAt },
        };
        var terminal = AddTerminalStatusValues(values);
        var update = new UpdateItemRequest
        {
            TableName = this.table.TableName,
            Key = Key(request.JobId),
            UpdateExpression = "SET #started_at = :started_at",
            ConditionExpression =
                $"attribute_exists(#job_id) AND #instance_id = :instance_id AND attribute_not_exists(#started_at) AND NOT (#status IN ({terminal}))",
            ExpressionAttributeNames = new Dictionary<string, string>
            {
                ["#job_id"] = JobRecord.JobId,
                ["#instance_id"] = JobRecord.InstanceId,
                ["#status"] = JobRecord.Status,
                ["#started_at"] = JobRecord.StartedAt,
            },
            ExpressionAttributeValues = values,
            ReturnValues = ReturnValue.ALL_NEW,
        };

        try
        {
            var response = await this.dynamo.UpdateItemAsync(update, Token());
            var updated = ToSnapshot(response.Attributes);
            this.logger.LogInformation("Job {JobId} on {InstanceId} started at {StartedAt}", request.JobId, request.InstanceId, startedAt);
            return new RecordJobStartedResult(RecordJobStartedOutcome.Recorded, updated.Pool, updated.Status, startedAt);
        }
        catch (ConditionalCheckFailedException)
        {
            var record = await this.ReadAsync(request.JobId);
            var outcome = JobRecordDecisions.AfterFailedStart(record, request.InstanceId)
                ?? throw Concurrent(request.JobId);
            this.logger.LogInformation(
                "Start of job {JobId} not recorded for {InstanceId}: {Outcome}",
                request.JobId,
                request.InstanceId,
                outcome);
            return new RecordJobStartedResult(outcome, record.Pool, record.Status, record.StartedAt);
        }
        catch (AmazonServiceException ex)
        {
            this.logger.LogWarning(ex, "UpdateItem of job {JobId} failed with {ErrorCode}", request.JobId, ex.ErrorCode);
            throw AwsFailures.ToFailure(ex, "UpdateItem");
        }
    }

    private async Task<JobRecordDecisions.Snapshot> ReadAsync(long jobId)
    {
        try
        {
            var response = await this.dynamo.GetItemAsync(
                new GetItemRequest
                {
                    TableName = this.table.TableName,
                    Key = Key(jobId),
                    ConsistentRead = true,
                    ProjectionExpression = "#job_id, #instance_id, #status, #started_at, #pool",
                    ExpressionAttributeNames = new Dictionary<string, string>
                    {
                        ["#job_id"] = JobRecord.JobId,
                        ["#instance_id"] = JobRecord.InstanceId,
                        ["#status"] = JobRecord.Status,
                        ["#started_at"] = JobRecord.StartedAt,
                        ["#pool"] = JobRecord.Pool,
                    },
                },
                Token());
            return ToSnapshot(response.Item);
        }
        catch (AmazonServiceException ex)
        {
            this.logger.LogWarning(ex, "GetItem of job {JobId} failed with {ErrorCode}", jobId, ex.ErrorCode);
            throw AwsFailures.ToFailure(ex, "GetItem");
        }
    }

    private static void Validate(CompleteJobRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateKey(request.JobId, request.InstanceId);
        if (!JobRecord.IsTerminal(request.Status))
        {
            throw ActivityInputFailures.Invalid(
                $"status '{request.Status}' is not terminal ({string.Join(", ", JobRecord.TerminalStatuses)})");
        }

        if (!double.IsFinite(request.DurationSeconds) || request.DurationSeconds < 0)
        {
            throw ActivityInputFailures.Invalid($"duration_seconds {request.DurationSeconds} must be a finite number >= 0");
        }

        if (request.StartedAt is { } started && started > request.CompletedAt)
        {
            throw ActivityInputFailures.Invalid($"started_at {started:O} is after completed_at {request.CompletedAt:O}");
        }
    }

    private static void ValidateKey(long jobId, string instanceId)
    {
        if (jobId <= 0)
        {
            throw ActivityInputFailures.Invalid($"job id {jobId} must be positive");
        }

        InstanceIds.Require(instanceId);
    }

    private static Dictionary<string, AttributeValue> Key(long jobId) =>
        new() { [JobRecord.JobId] = new AttributeValue { N = jobId.ToString(CultureInfo.InvariantCulture) } };

    // Placeholders :terminal0..3 for the "not yet terminal" part of the condition.
    private static string AddTerminalStatusValues(Dictionary<string, AttributeValue> values)
    {
        var placeholders = new List<string>();
        for (var i = 0; i < JobRecord.TerminalStatuses.Count; i++)
        {
            var placeholder = ":terminal" + i.ToString(CultureInfo.InvariantCulture);
            values[placeholder] = new AttributeValue { S = JobRecord.TerminalStatuses[i] };
            placeholders.Add(placeholder);
        }

        return string.Join(", ", placeholders);
    }

    private static void AddOptionalText(
        List<string> sets,
        Dictionary<string, string> names,
        Dictionary<string, AttributeValue> values,
        string attribute,
        string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        names["#" + attribute] = attribute;
        values[":" + attribute] = new AttributeValue { S = text };
        sets.Add($"#{attribute} = :{attribute}");
    }

    private static string? Truncate(string? text) =>
        text is { Length: > MaxErrorLength } ? text[..MaxErrorLength] : text;

    private static JobRecordDecisions.Snapshot ToSnapshot(Dictionary<string, AttributeValue>? item)
    {
        // SDK v4 returns null (not an empty map) when there is no item.
        if (item is null || item.Count == 0)
        {
            return new JobRecordDecisions.Snapshot(false, null, null, null, null);
        }

        return new JobRecordDecisions.Snapshot(
            true,
            Text(item, JobRecord.InstanceId),
            Text(item, JobRecord.Status),
            Text(item, JobRecord.StartedAt),
            Text(item, JobRecord.Pool));
    }

    private static string? Text(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value.S) ? value.S : null;

    private static ApplicationFailureException Concurrent(long jobId) =>
        new($"job {jobId} changed while it was being updated; retrying", errorType: ConcurrentUpdate, nonRetryable: false);

    private static CancellationToken Token() =>
        ActivityExecutionContext.HasCurrent ? ActivityExecutionContext.Current.CancellationToken : CancellationToken.None;
}
