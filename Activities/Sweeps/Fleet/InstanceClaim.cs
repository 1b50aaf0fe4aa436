using System.Globalization;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>What the pools table says about one instance's claim.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimState>))]
public enum ClaimState
{
    /// <summary>No claim row: no job was ever promised the instance (or its row was reaped).</summary>
    None,

    /// <summary>A claim row whose claim_expiry has passed: a finished or failed assignment.</summary>
    Expired,

    /// <summary>A claim row still in force: a job is waiting on the instance (it may still read stopped).</summary>
    Live,

    /// <summary>The row could not be read: counts as held (fail closed).</summary>
    Unreadable,
}

/// <summary>runs-fleet's instance claim, as pkg/db/instance_claims.go writes it: a pools-table row keyed
/// pool_name = "__instance_claim:&lt;instance-id&gt;" with job_id, claimed_at and claim_expiry (N, epoch
/// seconds), written by the pool manager before it starts the instance and before the job record
/// exists (instance_claims.go:35-82, pools/manager.go:1545).</summary>
/// <param name="State">None, expired, live or unreadable.</param>
/// <param name="JobId">The claiming job (when the row names one).</param>
/// <param name="Expiry">claim_expiry (when readable).</param>
/// <param name="Reason">Why it could not be read.</param>
public sealed record InstanceClaim(
    ClaimState State, long? JobId = null, DateTimeOffset? Expiry = null, string? Reason = null)
{
    /// <summary>Key attribute of the pools table.</summary>
    public const string KeyAttribute = "pool_name";

    /// <summary>Prefix of a claim row's key (instance_claims.go:21).</summary>
    public const string KeyPrefix = "__instance_claim:";

    public const string JobIdAttribute = "job_id";
    public const string ExpiryAttribute = "claim_expiry";

    public static InstanceClaim NoClaim { get; } = new(ClaimState.None);

    private const string Stamp = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>
    /// True when the claim keeps the instance: live, or unreadable (an unanswered question is not a no).
    /// </summary>
    public bool Holds => State is ClaimState.Live or ClaimState.Unreadable;

    /// <summary>The pools-table key of <paramref name="instanceId"/>'s claim row.</summary>
    public static string KeyOf(string instanceId) => KeyPrefix + instanceId;

    /// <summary>A claim that could not be read.</summary>
    public static InstanceClaim Failed(string reason) => new(ClaimState.Unreadable, Reason: reason);

    /// <summary>Judges a claim row read at <paramref name="now"/>; null <paramref name="item"/> means no row.
    /// Live while claim_expiry &gt;= now: ClaimInstanceForJob lets another job take it only once
    /// claim_expiry &lt; now (instance_claims.go:63); HasLiveInstanceClaim (instance_claims.go:183) calls
    /// the very second of expiry free, we keep it one second longer. A row without a readable
    /// claim_expiry counts as live, as runs-fleet reads it (instance_claims.go:176).</summary>
    public static InstanceClaim Judge(Dictionary<string, AttributeValue>? item, DateTimeOffset now)
    {
        if (item is null)
        {
            return NoClaim;
        }

        long? jobId = item.TryGetValue(JobIdAttribute, out var job)
            && long.TryParse(job.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsedJob)
            ? parsedJob
            : null;
        if (!item.TryGetValue(ExpiryAttribute, out var expiry)
            || !long.TryParse(expiry.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return new(ClaimState.Live, jobId, null, "claim row without a readable claim_expiry");
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return new(seconds >= now.ToUnixTimeSeconds() ? ClaimState.Live : ClaimState.Expired, jobId, expires);
    }

    /// <summary>The sentence the sweep report shows for a claim that keeps the instance.</summary>
    public string Describe() => State switch
    {
        ClaimState.Unreadable => "instance claim unreadable: " + Reason,
        _ => (JobId is { } id ? $"claimed for job {id.ToString(CultureInfo.InvariantCulture)}" : "claimed")
            + (Expiry is { } at
                ? " until " + at.UtcDateTime.ToString(Stamp, CultureInfo.InvariantCulture)
                : string.Empty)
            + (Reason is null ? string.Empty : $" ({Reason})"),
    };
}
