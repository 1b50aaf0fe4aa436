using System.Globalization;
using System.Text.RegularExpressions;
using Constructs;
using RunsFleet.Infrastructure.Data;
using RunsFleet.Infrastructure.Messaging;

namespace RunsFleet.Infrastructure;

/// <summary>
/// Reading <see cref="RunsFleetSettings"/> from CDK context. Every value is checked here, before a construct exists:
/// a bad one stops the synthesis with a message naming its key, the value and what is allowed.
/// </summary>
public sealed partial record RunsFleetSettings
{
    /// <summary>Reads the settings from the app's context; throws naming the key of a missing or bad value.</summary>
    public static RunsFleetSettings FromContext(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        string? Text(string key) => node.TryGetContext(key) switch
        {
            null => null,
            string s when string.IsNullOrWhiteSpace(s) => null,
            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
        };

        var address = Text(Keys.TemporalAddress) ?? throw new InvalidOperationException(
            $"Missing CDK context '{Keys.TemporalAddress}' (the Temporal frontend host:port, e.g. "
            + $"my-ns.a1b2c.tmprl.cloud:7233); pass it with -c {Keys.TemporalAddress}=...");

        var defaults = new RunsFleetSettings { TemporalAddress = address };
        var createJobsTable = Flag(Keys.CreateJobsTable, Text(Keys.CreateJobsTable), false);
        var existingQueue = Queue(Keys.ExistingTerminationQueue, Text(Keys.ExistingTerminationQueue));
        var existingDlq = Queue(Keys.ExistingTerminationDeadLetterQueue, Text(Keys.ExistingTerminationDeadLetterQueue));
        var kindText = Text(Keys.TerminationQueueKind);
        var kind = kindText is null ? (TerminationQueueKind?)null : ParseTerminationQueueKind(kindText);
        return defaults with
        {
            TemporalNamespace = Text(Keys.TemporalNamespace) ?? defaults.TemporalNamespace,
            TemporalApiKeySecret = Text(Keys.TemporalApiKeySecret),
            TemporalTls = Flag(Keys.TemporalTls, Text(Keys.TemporalTls), true),
            RunnerParameterPrefix = (Text(Keys.RunnerParameterPrefix) ?? defaults.RunnerParameterPrefix).TrimEnd('/'),
            TaskQueue = Text(Keys.TaskQueue) ?? defaults.TaskQueue,
            VpcId = Text(Keys.VpcId),
            ClusterName = Text(Keys.ClusterName),
            JobsTableName = DynamoName(
                Keys.JobsTableName, Text(Keys.JobsTableName) ?? defaults.JobsTableName, "table"),
            CreateJobsTable = createJobsTable,
            JobsIndexes = Indexes(Text),
            OmittedJobsTableIndexes = Omitted(Text(Keys.OmitJobsTableIndexes), createJobsTable),
            PoolsTableName = DynamoName(
                Keys.PoolsTableName, Text(Keys.PoolsTableName) ?? defaults.PoolsTableName, "table"),
            CreatePoolsTable = Flag(Keys.CreatePoolsTable, Text(Keys.CreatePoolsTable), false),
            ArchiveBucketName = Text(Keys.ArchiveBucketName),
            // The activities write keys as "{prefix without slashes}/{...}", so the IAM scope is "{prefix}/*".
            ArchivePrefix = (Text(Keys.ArchivePrefix) ?? defaults.ArchivePrefix).Trim('/'),
            ReportPrefix = (Text(Keys.ReportPrefix) ?? defaults.ReportPrefix).Trim('/'),
            WorkerImage = Text(Keys.WorkerImage),
            BridgeImage = Text(Keys.BridgeImage),
            BridgeDesiredCount = Text(Keys.BridgeDesiredCount) switch
            {
                null or "1" => 1,
                "0" => 0,
                var other => throw Invalid(Keys.BridgeDesiredCount, other, "0 (bridge stopped) or 1"),
            },
            OtelCollectorImage = Text(Keys.OtelCollectorImage) ?? defaults.OtelCollectorImage,
            AlarmTopicArn = Text(Keys.AlarmTopicArn),
            TerminationQueueKind = TerminationKind(kind, existingQueue, existingDlq),
            ExistingTerminationQueue = existingQueue,
            ExistingTerminationDeadLetterQueue = existingDlq,
            RunnerInstanceProfileArn = Text(Keys.RunnerInstanceProfileArn) is { } profile
                ? ValidRunnerInstanceProfileArn(profile)
                : null,
            JobQueue = JobQueueOf(Text(Keys.JobQueueUrl)),
        };
    }

    /// <summary>true / false (any case, or a JSON boolean in cdk.json); anything else stops the synthesis.</summary>
    internal static bool Flag(string key, string? value, bool fallback) => value?.ToUpperInvariant() switch
    {
        null => fallback,
        "TRUE" => true,
        "FALSE" => false,
        _ => throw Invalid(key, value, "true or false"),
    };

    private static JobsTableIndexes Indexes(Func<string, string?> text)
    {
        var defaults = JobsTableIndexes.Defaults;
        (string Key, string Name) Index(string key, string fallback) =>
            (key, DynamoName(key, text(key) ?? fallback, "index"));
        (string Key, string Name)[] given =
        [
            Index(Keys.JobsInstanceIdIndex, defaults.InstanceIdIndex),
            Index(Keys.JobsCompletedAtIndex, defaults.CompletedAtIndex),
            Index(Keys.JobsStatusCreatedAtIndex, defaults.ActiveJobsIndex),
        ];
        // Each index has its own keys: two settings naming one index, or one of runs-fleet's pool indexes, would
        // have the worker query an index with the wrong keys (and a created table could not hold both).
        foreach (var (key, name) in given)
        {
            if (given.FirstOrDefault(other => other.Key != key && other.Name == name) is { Key: not null } clash)
            {
                throw Invalid(key, name, $"an index name of its own (it is also the value of '{clash.Key}')");
            }

            if (JobsTableIndexes.RunsFleetOnly.Contains(name))
            {
                throw Invalid(key, name, $"an index name of its own ({name} is runs-fleet's index keyed by pool)");
            }
        }

        return new JobsTableIndexes(given[0].Name, given[1].Name, given[2].Name);
    }

    private static IReadOnlyList<string> Omitted(string? value, bool createJobsTable)
    {
        if (value is null)
        {
            return [];
        }

        if (!createJobsTable)
        {
            throw Invalid(Keys.OmitJobsTableIndexes, value,
                $"nothing while the jobs table is adopted ({Keys.CreateJobsTable} is not true: "
                + "the stack creates no index)");
        }

        var names = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = names.Where(name => !JobsTableIndexes.RunsFleetOnly.Contains(name)).ToList();
        return unknown.Count == 0
            ? names.Distinct().ToList()
            : throw Invalid(Keys.OmitJobsTableIndexes, value,
                $"a comma-separated list of {string.Join(" | ", JobsTableIndexes.RunsFleetOnly)} "
                + "(the worker queries every other index)");
    }

    private static QueueReference? Queue(string key, string? value) =>
        value is null ? null : QueueReference.TryParse(value, out var problem) ?? throw Invalid(key, value, problem);

    // The worker sends to a URL (RUNS_FLEET_QUEUE_URL, as runs-fleet's own setting), so a name alone is not enough.
    private static QueueReference? JobQueueOf(string? value) =>
        Queue(Keys.JobQueueUrl, value) switch
        {
            null => null,
            { Url: null } => throw Invalid(Keys.JobQueueUrl, value!,
                "the URL of runs-fleet's job queue (its RUNS_FLEET_QUEUE_URL), "
                + "https://sqs.<region>.amazonaws.com/<12-digit account>/<name>"),
            var queue => queue,
        };

    private static TerminationQueueKind TerminationKind(
        TerminationQueueKind? given, QueueReference? queue, QueueReference? dlq)
    {
        if (queue is null)
        {
            return dlq is null
                ? given ?? TerminationQueueKind.Fifo
                : throw Invalid(Keys.ExistingTerminationDeadLetterQueue, dlq.Name,
                    $"nothing without '{Keys.ExistingTerminationQueue}' (the stack creates its own termination DLQ)");
        }

        if (given is { } kind && kind != queue.Kind)
        {
            var adopted = queue.Kind.ToValue();
            throw Invalid(Keys.TerminationQueueKind, kind.ToValue(),
                $"{adopted} or unset: '{Keys.ExistingTerminationQueue}' names the {adopted} queue {queue.Name}");
        }

        // SQS refuses a redrive between a FIFO and a standard queue, so the DLQ given cannot be this queue's.
        return dlq is null || dlq.Kind == queue.Kind
            ? queue.Kind
            : throw Invalid(Keys.ExistingTerminationDeadLetterQueue, dlq.Name,
                $"a {queue.Kind.ToValue()} queue like {queue.Name} (a queue's DLQ is of its own kind)");
    }

    private static string DynamoName(string key, string value, string what) =>
        DynamoDbName().IsMatch(value)
            ? value
            : throw Invalid(key, value, $"a DynamoDB {what} name (3-255 of A-Z a-z 0-9 _ . -)");

    private static InvalidOperationException Invalid(string key, string value, string allowed) =>
        new($"Invalid CDK context '{key}': '{value}'. Expected {allowed}.");

    private static TerminationQueueKind ParseTerminationQueueKind(string value) =>
        TerminationQueueKinds.TryParse(value, out var kind)
            ? kind
            : throw new InvalidOperationException(
                $"Invalid CDK context '{Keys.TerminationQueueKind}': '{value}'. Allowed values: "
                    + $"{string.Join(" | ", TerminationQueueKinds.Values)} "
                + "(standard for stock runs-fleet agents, which send without MessageGroupId; fifo, the default, for "
                + "senders that pass one).");

    private static string ValidRunnerInstanceProfileArn(string value) =>
        InstanceProfileArn().IsMatch(value)
            ? value
            : throw Invalid(Keys.RunnerInstanceProfileArn, value, "the ARN of the runners' instance profile, "
                + "arn:<partition>:iam::<12-digit account>:instance-profile/[<path>/]<name> (a name alone is not "
                + "enough: the IAM condition ec2:InstanceProfile compares ARNs)");

    // Table and index names: what DynamoDB accepts, and what the worker's JobsTableOptions validation accepts.
    [GeneratedRegex(@"^[A-Za-z0-9_.-]{3,255}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DynamoDbName();

    // Partitions aws, aws-cn, aws-us-gov, ...; IAM's path and name characters; at most 512 after "instance-profile/",
    // which is also what the worker's RUNS_FLEET_STRAY_INSTANCES_RUNNER_INSTANCE_PROFILE validation accepts.
    [GeneratedRegex(
        @"^arn:aws(-[a-z]+)*:iam::[0-9]{12}:instance-profile/"
            + @"(?=.{1,512}\z)([A-Za-z0-9_+=,.@-]+/)*[A-Za-z0-9_+=,.@-]{1,128}\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex InstanceProfileArn();
}
