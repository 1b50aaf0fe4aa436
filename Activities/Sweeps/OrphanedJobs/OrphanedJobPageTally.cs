namespace RunsFleet.Activities.Sweeps.OrphanedJobs;

/// <summary>Counts one page's verdicts and keeps up to a limit of its orphaned jobs as candidates.</summary>
internal sealed class OrphanedJobPageTally(int candidateLimit)
{
    private readonly List<OrphanedJobCandidate> _candidates = [];

    public int InstanceGone { get; private set; }

    public int OverAge { get; private set; }

    public int Young { get; private set; }

    public int Active { get; private set; }

    public int Unreadable { get; private set; }

    /// <summary>Counts a job left alone.</summary>
    public void Kept(OrphanedJobVerdict verdict)
    {
        switch (verdict)
        {
            case OrphanedJobVerdict.Young:
                Young++;
                break;
            case OrphanedJobVerdict.Active:
                Active++;
                break;
            default:
                Unreadable++;
                break;
        }
    }

    /// <summary>Counts <paramref name="job"/>'s verdict; an orphaned job is a candidate while there is room.</summary>
    public void Add(OrphanedJobView job, (OrphanedJobVerdict Verdict, string? Reason) judged)
    {
        var cause = judged.Verdict switch
        {
            OrphanedJobVerdict.InstanceGone => OrphanCause.InstanceGone,
            OrphanedJobVerdict.OverAge => OrphanCause.OverAge,
            _ => (OrphanCause?)null,
        };
        if (cause is not { } orphaned)
        {
            Kept(judged.Verdict);
            return;
        }

        if (orphaned == OrphanCause.InstanceGone)
        {
            InstanceGone++;
        }
        else
        {
            OverAge++;
        }

        if (_candidates.Count < candidateLimit)
        {
            var reason = judged.Reason!;
            _candidates.Add(new OrphanedJobCandidate(job.JobId!.Value, job.InstanceId, job.Status, orphaned, reason)
            {
                RequeuedAt = job.Status == Jobs.JobRecord.Requeued ? job.RequeuedAt : null,
            });
        }
    }

    /// <summary>The page as the workflow records it.</summary>
    public OrphanedJobScanPage ToPage(ActiveJobCursor? next, int read, int instancesChecked, int instancesKnown) =>
        new(next, read, instancesChecked, InstanceGone, OverAge, Active, Unreadable, [.. _candidates])
        {
            InstancesKnown = instancesKnown,
            KeptYoung = Young,
        };
}
