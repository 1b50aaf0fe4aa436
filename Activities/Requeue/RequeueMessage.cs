using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RunsFleet.Activities.Requeue;

/// <summary>The launch message that re-dispatches a job to a fresh runner: runs-fleet's queue.JobMessage
/// (pkg/queue/interface.go:53) as its BuildRequeueMessage fills it (pkg/housekeeping/requeue.go:132):
/// on-demand (spot false, force_on_demand true) and retry_count one higher, so the FIFO
/// deduplication id moves on and the worker's retry budget is kept.</summary>
/// <param name="JobId">job_id (never 0).</param>
/// <param name="RunId">run_id.</param>
/// <param name="Repo">repo ("" is left out, omitempty).</param>
/// <param name="InstanceType">instance_type (always written, even "").</param>
/// <param name="Pool">pool ("" is left out).</param>
/// <param name="RetryCount">The new retry count (the record's + 1).</param>
/// <param name="OriginalLabel">original_label ("" is left out).</param>
public sealed record RequeueMessage(
    long JobId, long RunId, string Repo, string InstanceType, string Pool, int RetryCount, string OriginalLabel)
{
    /// <summary>runs-fleet's BuildRequeueMessage of <paramref name="job"/>.</summary>
    public static RequeueMessage For(RequeueCandidate job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new RequeueMessage(
            job.JobId, job.RunId, job.Repo, job.InstanceType, job.Pool, job.RetryCount + 1, job.OriginalLabel);
    }

    /// <summary>The body as Go's json.Marshal writes the JobMessage: fields in struct order, the omitempty
    /// ones left out when zero, no spaces. The fields runs-fleet's requeue never sets (arch,
    /// instance_types, storage_gib, traceparent, cpu_*, ram_*, families, gen) are zero and omitted.</summary>
    public string ToJson()
    {
        var json = new StringBuilder("{");
        if (JobId != 0)
        {
            Number(json, "job_id", JobId);
        }

        Number(json, "run_id", RunId);
        OptionalText(json, "repo", Repo);
        Text(json, "instance_type", InstanceType);
        OptionalText(json, "pool", Pool);
        Separator(json);
        GoJson.AppendName(json, "spot");
        json.Append("false");
        OptionalText(json, "original_label", OriginalLabel);
        if (RetryCount != 0)
        {
            Number(json, "retry_count", RetryCount);
        }

        Separator(json);
        GoJson.AppendName(json, "force_on_demand");
        json.Append("true");
        return json.Append('}').ToString();
    }

    /// <summary>FIFO message group: the job id, so a run's jobs stay parallel (pkg/queue/sqs.go:87).</summary>
    public string MessageGroupId => JobId.ToString(CultureInfo.InvariantCulture);

    /// <summary>FIFO deduplication id: hex SHA-256 of "{job_id}-{retry_count}" (pkg/queue/sqs.go:85-88).</summary>
    public string DeduplicationId =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{JobId}-{RetryCount}"))));

    private static void Number(StringBuilder json, string name, long value)
    {
        Separator(json);
        GoJson.AppendName(json, name);
        json.Append(value.ToString(CultureInfo.InvariantCulture));
    }

    private static void Text(StringBuilder json, string name, string value)
    {
        Separator(json);
        GoJson.AppendName(json, name);
        GoJson.AppendString(json, value ?? string.Empty);
    }

    private static void OptionalText(StringBuilder json, string name, string value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Text(json, name, value);
        }
    }

    private static void Separator(StringBuilder json)
    {
        if (json.Length > 1)
        {
            json.Append(',');
        }
    }
}
