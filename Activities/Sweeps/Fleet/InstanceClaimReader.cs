using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Aws;

namespace RunsFleet.Activities.Sweeps.Fleet;

/// <summary>Reads runs-fleet's instance claims (<see cref="InstanceClaim"/>) from the pools table, 100 keys
/// per BatchGetItem (the most one call takes), strongly consistent as runs-fleet's own check is
/// (instance_claims.go:165): a claim is written seconds before its instance is started. Never
/// throws for an AWS failure: the ids of a failed call, or of keys still unprocessed after the
/// retries, come back <see cref="ClaimState.Unreadable"/>, which keeps their instances.</summary>
internal sealed class InstanceClaimReader
{
    /// <summary>Keys one BatchGetItem takes.</summary>
    public const int MaxKeysPerCall = 100;

    // Unprocessed keys (throttling) are asked again this many times, after a short pause each.
    private const int MaxAttempts = 3;
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly TimeProvider _clock;

    public InstanceClaimReader(IAmazonDynamoDB dynamo, string poolsTable, TimeProvider clock)
    {
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        ArgumentException.ThrowIfNullOrWhiteSpace(poolsTable);
        _table = poolsTable;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>The claim of every id (none: no call), judged at the time of its answer.</summary>
    public async Task<IReadOnlyDictionary<string, InstanceClaim>> ReadAsync(
        IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceIds);
        var claims = new Dictionary<string, InstanceClaim>(StringComparer.Ordinal);
        foreach (var chunk in instanceIds.Distinct(StringComparer.Ordinal).Chunk(MaxKeysPerCall))
        {
            await ReadChunkAsync(chunk, claims, cancellationToken);
        }

        return claims;
    }

    private async Task ReadChunkAsync(string[] ids, Dictionary<string, InstanceClaim> claims, CancellationToken ct)
    {
        var rows = new Dictionary<string, Dictionary<string, AttributeValue>>(StringComparer.Ordinal);
        var unanswered = ids.Select(InstanceClaim.KeyOf).ToHashSet(StringComparer.Ordinal);
        string? failure = null;
        var pending = Request([.. unanswered.Select(KeyItem)]);
        for (var attempt = 1; ; attempt++)
        {
            var (response, error) = await AwsCall.TryReadAsync(() => _dynamo.BatchGetItemAsync(pending, ct), ct);
            if (response is null)
            {
                failure = $"BatchGetItem on {_table} failed: {error}";
                break;
            }

            var unprocessed = response.UnprocessedKeys?.GetValueOrDefault(_table)?.Keys ?? [];
            var left = unprocessed.Select(k => k.GetValueOrDefault(InstanceClaim.KeyAttribute)?.S);
            unanswered.IntersectWith(left.OfType<string>());
            foreach (var item in response.Responses?.GetValueOrDefault(_table) ?? [])
            {
                if (item.GetValueOrDefault(InstanceClaim.KeyAttribute)?.S is { } key)
                {
                    rows[key] = item;
                }
            }

            if (unanswered.Count == 0)
            {
                break;
            }

            if (attempt == MaxAttempts)
            {
                failure = $"BatchGetItem on {_table} left {unanswered.Count} keys unprocessed "
                    + $"after {MaxAttempts} attempts";
                break;
            }

            await Task.Delay(FirstPause * attempt, _clock, ct);
            pending = Request([.. unanswered.Select(KeyItem)]);
        }

        // Keys answered before a failure are judged as usual; only those without an answer are unreadable.
        var now = _clock.GetUtcNow();
        foreach (var id in ids)
        {
            var key = InstanceClaim.KeyOf(id);
            claims[id] = failure is not null && unanswered.Contains(key)
                ? InstanceClaim.Failed(failure)
                : InstanceClaim.Judge(rows.GetValueOrDefault(key), now);
        }
    }

    private static Dictionary<string, AttributeValue> KeyItem(string key) =>
        new() { [InstanceClaim.KeyAttribute] = new() { S = key } };

    private BatchGetItemRequest Request(List<Dictionary<string, AttributeValue>> keys) => new()
    {
        RequestItems = new() { [_table] = Keys(keys) },
    };

    private static KeysAndAttributes Keys(List<Dictionary<string, AttributeValue>> keys) => new()
    {
        Keys = keys,
        ConsistentRead = true,
        ProjectionExpression = "#k, #j, #e",
        ExpressionAttributeNames = new()
        {
            ["#k"] = InstanceClaim.KeyAttribute,
            ["#j"] = InstanceClaim.JobIdAttribute,
            ["#e"] = InstanceClaim.ExpiryAttribute,
        },
    };
}
