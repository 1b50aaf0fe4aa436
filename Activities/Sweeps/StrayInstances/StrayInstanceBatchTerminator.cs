using System.Globalization;
using Amazon.EC2.Model;
using Microsoft.Extensions.Logging;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Sweeps.Fleet;

namespace RunsFleet.Activities.Sweeps.StrayInstances;

/// <summary>Terminates one batch of orphans after checking each again, right before: one
/// DescribeInstances for the batch (gone, changed or newly protected instances are kept out),
/// the jobs lookup through instance-id-index (a job given since the scan, or a record that is
/// not finished, orphaned included, keeps it), then the instance claims (a live or unreadable
/// claim keeps it). Packer builders skip both table checks: no job record or claim ever names
/// one. Jobs before claims: runs-fleet writes the claim before the job record, so a job that
/// appears after our jobs check shows its claim to the claims check.</summary>
internal sealed class StrayInstanceBatchTerminator(
    FleetInstanceReader reader,
    ActiveJobFinder jobs,
    InstanceClaimReader claims,
    SpotRequestCanceller spot,
    InstanceTerminator terminator,
    int lookupConcurrency,
    ILogger logger)
{
    private const string ReCheck = "re-check before terminating: ";

    // The states an orphan can be terminated from; each phase checks the one it judged.
    internal static readonly string[] ReCheckStates = ["pending", "running", "stopping", "stopped"];

    /// <summary>The fate of each orphan of the batch; <paramref name="onEach"/> heartbeats.</summary>
    public async Task<List<StrayInstanceReport>> TerminateAsync(
        IReadOnlyList<StrayInstanceCandidate> orphans, Action? onEach, CancellationToken ct)
    {
        var outcomes = new List<StrayInstanceReport>();
        var current = await DescribeCurrentAsync(orphans, ct);
        var stillThere = new List<StrayInstanceCandidate>();
        foreach (var orphan in orphans)
        {
            // An operator may have protected it, or it may have gone or changed, since the scan.
            switch (current.GetValueOrDefault(orphan.InstanceId))
            {
                case null:
                    outcomes.Add(orphan.Report(
                        StrayInstanceDecision.Gone, "no longer known or in a state to terminate at the re-check"));
                    break;
                case { IsProtected: true }:
                    outcomes.Add(orphan.Report(
                        StrayInstanceDecision.Protected, "tagged runs-fleet:protected=true since the scan"));
                    break;
                case var now when StrayInstancePhaseRules.ChangedSinceScan(orphan.Phase, now) is { } change:
                    outcomes.Add(orphan.Report(StrayInstanceDecision.Gone, change));
                    break;
                default:
                    stillThere.Add(orphan);
                    break;
            }
        }

        var runners = stillThere.Where(o => o.Phase != StrayInstancePhase.PackerBuilder).ToList();
        var jobFree = await KeepJobHoldersAsync(runners, outcomes, onEach, ct);
        var unclaimed = await KeepClaimedAsync(jobFree, outcomes, ct);
        var toTerminate = stillThere.Where(o => o.Phase == StrayInstancePhase.PackerBuilder).Concat(unclaimed).ToList();
        if (toTerminate.Count > 0)
        {
            await TerminateCheckedAsync(toTerminate, current, outcomes, ct);
        }

        return outcomes;
    }

    // JobRecord.HoldsInstance decides (ActiveJobFinder): orphaned, unknown or missing statuses keep the instance.
    private async Task<List<StrayInstanceCandidate>> KeepJobHoldersAsync(
        List<StrayInstanceCandidate> runners, List<StrayInstanceReport> outcomes, Action? onEach, CancellationToken ct)
    {
        var ids = runners.Select(o => o.InstanceId).ToList();
        var lookups = await jobs.FindManyAsync(ids, lookupConcurrency, onEach, ct);
        var free = new List<StrayInstanceCandidate>();
        foreach (var orphan in runners)
        {
            var lookup = lookups.GetValueOrDefault(orphan.InstanceId) ?? JobLookup.Failure("no jobs lookup was made");
            switch (lookup.Outcome)
            {
                case JobLookupOutcome.NoActiveJob:
                    free.Add(orphan);
                    break;
                case JobLookupOutcome.ActiveJob:
                    outcomes.Add(orphan.Report(StrayInstanceDecision.ActiveJob, ReCheck + lookup.Describe()));
                    break;
                default:
                    outcomes.Add(orphan.Report(StrayInstanceDecision.LookupFailed, ReCheck + lookup.Reason));
                    break;
            }
        }

        return free;
    }

    // A claim is written before its instance starts and before the job record exists: the only sign,
    // for a moment, that an idle pool member is promised to a job. Live or unreadable keeps it.
    private async Task<List<StrayInstanceCandidate>> KeepClaimedAsync(
        List<StrayInstanceCandidate> candidates, List<StrayInstanceReport> outcomes, CancellationToken ct)
    {
        var read = await claims.ReadAsync(candidates.Select(o => o.InstanceId).ToList(), ct);
        var free = new List<StrayInstanceCandidate>();
        foreach (var orphan in candidates)
        {
            var claim = read.GetValueOrDefault(orphan.InstanceId) ?? InstanceClaim.Failed("no claim lookup was made");
            if (!claim.Holds)
            {
                free.Add(orphan);
                continue;
            }

            var decision = claim.State == ClaimState.Live
                ? StrayInstanceDecision.Claimed
                : StrayInstanceDecision.LookupFailed;
            outcomes.Add(orphan.Report(decision, ReCheck + claim.Describe()));
        }

        return free;
    }

    private async Task TerminateCheckedAsync(
        List<StrayInstanceCandidate> toTerminate,
        Dictionary<string, FleetInstance> current,
        List<StrayInstanceReport> outcomes,
        CancellationToken ct)
    {
        // Spot requests first: a persistent one would otherwise launch the instance again.
        var spotRequests = toTerminate.Select(o => current[o.InstanceId].SpotRequestId).OfType<string>().ToList();
        await spot.CancelAsync(spotRequests, ct);
        var result = await terminator.TerminateAsync(toTerminate.Select(o => o.InstanceId).ToList(), ct);
        foreach (var orphan in toTerminate)
        {
            outcomes.Add(Fate(orphan, result));
        }

        logger.LogWarning(
            "Terminated {Count} orphaned instances: {InstanceIds}; {Protected} refused by termination protection: "
                + "{ProtectedIds}",
            result.Accepted.Count,
            string.Join(",", result.Accepted.Order(StringComparer.Ordinal)),
            result.Protected.Count,
            string.Join(",", result.Protected.Order(StringComparer.Ordinal)));
    }

    // One DescribeInstances per 200 ids of the batch (the most one filter takes): an instance-id
    // filter (unlike InstanceIds) does not fail on unknown ids, and the state filter drops those
    // already on their way out (each phase then checks the state it judged).
    private async Task<Dictionary<string, FleetInstance>> DescribeCurrentAsync(
        IReadOnlyList<StrayInstanceCandidate> orphans, CancellationToken ct)
    {
        var found = new Dictionary<string, FleetInstance>(StringComparer.Ordinal);
        var ids = orphans.Select(o => o.InstanceId).Distinct(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(Ec2Limits.MaxFilterValues))
        {
            string? token = null;
            do
            {
                var page = await reader.ReadPageAsync(
                    [new Filter("instance-id", [.. chunk]), FleetInstanceReader.StateFilter(ReCheckStates)],
                    token,
                    FleetInstanceReader.MaxPageSize,
                    ct);
                foreach (var instance in page.Instances)
                {
                    found[instance.InstanceId] = instance;
                }

                token = page.NextToken;
            }
            while (token is not null);
        }

        return found;
    }

    // What TerminateInstances made of one orphan of the batch.
    private static StrayInstanceReport Fate(StrayInstanceCandidate orphan, TerminationOutcome result)
    {
        var id = orphan.InstanceId;
        if (result.Accepted.Contains(id))
        {
            return orphan.Report(StrayInstanceDecision.Terminated, orphan.Reason);
        }

        if (result.Gone.Contains(id))
        {
            return orphan.Report(StrayInstanceDecision.Gone,
                "EC2 no longer knows this instance (InvalidInstanceID.NotFound)");
        }

        if (result.Protected.Contains(id))
        {
            return orphan.Report(
                StrayInstanceDecision.TerminationProtected,
                "EC2 termination protection is on (disableApiTermination): TerminateInstances refused it "
                    + "with OperationNotPermitted");
        }

        return result.NotTried.Contains(id)
            ? orphan.Report(
                StrayInstanceDecision.TerminateFailed,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"not tried: more than {InstanceTerminator.MaxProtectedPerBatch} termination-protected instances "
                        + $"in its batch"))
            : orphan.Report(StrayInstanceDecision.TerminateFailed, "missing from the TerminateInstances answer");
    }
}
