using Amazon.DynamoDBv2.Model;
using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.StrayInstances;

namespace RunsFleet.Tests.Activities.Sweeps.StrayInstances;

/// <summary>The pure decisions of issue 13 item 5: phase b's runner evidence, phase f's builders, instance claims.</summary>
public class RunnerEvidenceAndBuilderRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Now.AddMinutes(-15);
    private static readonly FleetInstance Untagged = new("i-0aaaaaaaaaaaaaaa1", "running", Now.AddHours(-1), "m7g.large", false, null);
    private static readonly FleetInstance Builder = new("i-0bbbbbbbbbbbbbbb1", "stopped", Now.AddHours(-2), "c7g.xlarge", false, null) { IsPackerBuilder = true };

    [Theory]
    [InlineData("tagged", "runs-fleet:run-id", null, null, RunnerEvidenceState.Found, "tagged runs-fleet:run-id")]
    [InlineData("a job record names it", null, 2, null, RunnerEvidenceState.Found, "2 job record(s)")]
    [InlineData("an expired claim names it", null, 0, "expired", RunnerEvidenceState.Found, "instance claim row names it (job 42)")]
    [InlineData("a live claim names it", null, 0, "live", RunnerEvidenceState.Found, "instance claim row")]
    [InlineData("nothing names it", null, 0, "none", RunnerEvidenceState.Missing, "no runs-fleet:* tag, job record or instance claim")]
    [InlineData("claim unreadable", null, 0, "unreadable", RunnerEvidenceState.Unreadable, "ResourceNotFoundException")]
    [InlineData("claim not read", null, 0, null, RunnerEvidenceState.Unreadable, "not read")]
    [InlineData("history failed", null, -1, "none", RunnerEvidenceState.Unreadable, "Throttled")]
    [InlineData("history not read", null, null, "none", RunnerEvidenceState.Unreadable, "not read")]
    public void Runner_evidence_takes_a_tag_then_a_job_record_then_a_claim(
        string name, string? tag, int? records, string? claim, RunnerEvidenceState expected, string detail)
    {
        var history = records switch
        {
            null => null,
            -1 => JobHistory.Failed("jobs lookup failed: Throttled"),
            var n => new JobHistory(JobLookup.None, n.Value, []),
        };
        var instanceClaim = claim switch
        {
            "expired" => new InstanceClaim(ClaimState.Expired, 42, Now.AddMinutes(-1)),
            "live" => new InstanceClaim(ClaimState.Live, 42, Now.AddMinutes(1)),
            "none" => InstanceClaim.NoClaim,
            "unreadable" => InstanceClaim.Failed("BatchGetItem on runs-fleet-pools failed: ResourceNotFoundException"),
            _ => null,
        };

        var evidence = RunnerEvidence.Weigh(Untagged with { LaunchTag = tag }, history, instanceClaim);

        Assert.True(expected == evidence.State, $"{name}: {evidence.State} ({evidence.Detail})");
        Assert.Contains(detail, evidence.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void The_protected_tag_is_an_operators_not_a_launch_and_proves_nothing()
    {
        Assert.Null(FleetTags.LaunchTagKey(["Name", "runs-fleet:protected", "created-by"]));
        Assert.Equal("runs-fleet:arch", FleetTags.LaunchTagKey(["runs-fleet:run-id", "runs-fleet:arch", "runs-fleet:protected"]));
    }

    [Fact]
    public void Phase_b_terminates_only_with_evidence_and_never_a_packer_builder()
    {
        var found = new RunnerEvidence(RunnerEvidenceState.Found, "2 job record(s) on instance-id-index name it");
        var missing = new RunnerEvidence(RunnerEvidenceState.Missing, "nothing names it");
        var unreadable = new RunnerEvidence(RunnerEvidenceState.Unreadable, "Throttled");

        var orphan = StrayInstancePhaseRules.UnmanagedProfile(Untagged, Cutoff, JobLookup.None, found);
        Assert.Equal(StrayInstanceVerdict.Orphan, orphan.Verdict);
        Assert.EndsWith("runs-fleet's: 2 job record(s) on instance-id-index name it", orphan.Reason, StringComparison.Ordinal);
        Assert.Equal(StrayInstanceVerdict.NoRunnerEvidence, StrayInstancePhaseRules.UnmanagedProfile(Untagged, Cutoff, JobLookup.None, missing).Verdict);
        Assert.Equal(StrayInstanceVerdict.LookupFailed, StrayInstancePhaseRules.UnmanagedProfile(Untagged, Cutoff, JobLookup.None, unreadable).Verdict);
        Assert.Equal(StrayInstanceVerdict.LookupFailed, StrayInstancePhaseRules.UnmanagedProfile(Untagged, Cutoff, JobLookup.None, null).Verdict);

        // Evidence never overrides the other reasons to keep an instance.
        Assert.Equal(StrayInstanceVerdict.ActiveJob, StrayInstancePhaseRules.UnmanagedProfile(Untagged, Cutoff, JobLookup.Active(7, "orphaned"), found).Verdict);
        Assert.Equal(StrayInstanceVerdict.Young, StrayInstancePhaseRules.UnmanagedProfile(Untagged with { LaunchTime = Cutoff }, Cutoff, JobLookup.None, found).Verdict);

        var builder = StrayInstancePhaseRules.UnmanagedProfile(Builder with { LaunchTag = "runs-fleet:run-id" }, Cutoff, JobLookup.None, found);
        Assert.Equal((StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.PackerBuilderNote), (builder.Verdict, builder.Reason));
    }

    [Theory]
    [InlineData("pending", -1, StrayInstanceVerdict.Orphan)]
    [InlineData("running", -1, StrayInstanceVerdict.Orphan)]
    [InlineData("stopping", -1, StrayInstanceVerdict.Orphan)]
    [InlineData("stopped", -1, StrayInstanceVerdict.Orphan)]
    [InlineData("stopped", 0, StrayInstanceVerdict.Young)]
    [InlineData("running", 1, StrayInstanceVerdict.Young)]
    [InlineData("shutting-down", -60, StrayInstanceVerdict.NotCandidate)]
    public void Phase_f_takes_builders_in_runs_fleets_states_launched_before_the_cutoff(string state, int secondsFromCutoff, StrayInstanceVerdict expected)
    {
        var cutoff = Now.AddHours(-1);
        var assessment = StrayInstancePhaseRules.PackerBuilder(Builder with { State = state, LaunchTime = cutoff.AddSeconds(secondsFromCutoff) }, cutoff);

        Assert.True(expected == assessment.Verdict, $"{state}: {assessment.Verdict} ({assessment.Reason})");
    }

    [Fact]
    public void Phase_f_keeps_protected_undated_and_non_builder_instances()
    {
        var cutoff = Now.AddHours(-1);
        Assert.Equal(StrayInstanceVerdict.Protected, StrayInstancePhaseRules.PackerBuilder(Builder with { IsProtected = true }, cutoff).Verdict);
        Assert.Equal(StrayInstanceVerdict.MissingLaunchTime, StrayInstancePhaseRules.PackerBuilder(Builder with { LaunchTime = null }, cutoff).Verdict);
        Assert.Equal(StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.PackerBuilder(Untagged, cutoff).Verdict);
        Assert.Null(StrayInstancePhaseRules.ChangedSinceScan(StrayInstancePhase.PackerBuilder, Builder with { State = "stopping" }));
        Assert.NotNull(StrayInstancePhaseRules.ChangedSinceScan(StrayInstancePhase.PackerBuilder, Untagged));
    }

    [Fact]
    public void Builders_are_judged_by_phase_f_alone_whatever_listing_shows_them()
    {
        var phases = new StrayInstanceSweepOptions { RunnerInstanceProfile = "runs-fleet-runner", StoppedEnabled = true }.PhaseCutoffs(Now);
        StrayInstanceScanRequest On(StrayInstanceListing listing) => new(null, Now.AddMinutes(-370), 1000, 51, 200) { Listing = listing, Phases = phases };
        var managedBuilder = Builder with { IsManaged = true, LaunchTime = Now.AddDays(-1) };

        Assert.Empty(StrayInstanceScanJudge.Applicable(managedBuilder, On(StrayInstanceListing.Managed)));
        Assert.Empty(StrayInstanceScanJudge.Applicable(Builder, On(StrayInstanceListing.RunnerProfile)));
        Assert.Equal([StrayInstancePhase.PackerBuilder], StrayInstanceScanJudge.Applicable(Builder, On(StrayInstanceListing.PackerBuilders)).Select(p => p.Phase));
        Assert.Empty(StrayInstanceScanJudge.Applicable(Untagged, On(StrayInstanceListing.PackerBuilders)));
        Assert.False(StrayInstanceScanJudge.NeedsActiveJobs(Builder, On(StrayInstanceListing.PackerBuilders)));

        var (phase, assessment) = StrayInstanceScanJudge.Judge(Builder, On(StrayInstanceListing.RunnerProfile), JobLookup.None, null);
        Assert.Equal(((StrayInstancePhase?)null, StrayInstanceVerdict.NotCandidate, StrayInstancePhaseRules.PackerBuilderNote), (phase, assessment.Verdict, assessment.Reason));
        Assert.Equal(StrayInstancePhase.PackerBuilder, StrayInstanceScanJudge.Judge(Builder, On(StrayInstanceListing.PackerBuilders), null, null).Phase);
    }

    [Fact]
    public void Phase_f_is_on_by_default_after_runs_fleets_hour_and_never_sooner()
    {
        Assert.Equal(Now.AddHours(-1), new StrayInstanceSweepOptions().PhaseCutoffs(Now).PackerBuilder);
        Assert.True(new StrayInstanceSweepOptions().PhaseCutoffs(Now).ListsPackerBuilders);
        Assert.Null(new StrayInstanceSweepOptions { PackerEnabled = false }.PhaseCutoffs(Now).PackerBuilder);
        Assert.Equal(Now.AddMinutes(-90), new StrayInstanceSweepOptions { PackerGraceMinutes = 90 }.PhaseCutoffs(Now).PackerBuilder);
        Assert.Contains(nameof(StrayInstanceSweepOptions.PackerGraceMinutes), Errors(new StrayInstanceSweepOptions { PackerGraceMinutes = 59 }));
        Assert.Contains(nameof(StrayInstanceSweepOptions.PoolsTableName), Errors(new StrayInstanceSweepOptions { PoolsTableName = "arn:aws:dynamodb:x" }));
        Assert.Null(StrayInstancePhaseCutoffs.Off.PackerBuilder);
    }

    [Theory]
    [InlineData("no row", null, null, ClaimState.None)]
    [InlineData("expires this second", "42", 0L, ClaimState.Live)]
    [InlineData("expires in a minute", "42", 60L, ClaimState.Live)]
    [InlineData("expired a second ago", "42", -1L, ClaimState.Expired)]
    [InlineData("no claim_expiry", "42", null, ClaimState.Live)]
    public void A_claim_is_live_while_its_expiry_is_not_past(string name, string? jobId, long? expiresIn, ClaimState expected)
    {
        Dictionary<string, AttributeValue>? item = name == "no row" ? null : new() { ["pool_name"] = new() { S = "__instance_claim:i-1" } };
        if (jobId is not null)
        {
            item!["job_id"] = new() { N = jobId };
        }

        if (expiresIn is { } seconds)
        {
            item!["claim_expiry"] = new() { N = (Now.ToUnixTimeSeconds() + seconds).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        var claim = InstanceClaim.Judge(item, Now);

        Assert.True(expected == claim.State, $"{name}: {claim.State}");
        Assert.Equal(expected is ClaimState.Live, claim.Holds);
        Assert.Equal(item is null ? null : 42L, claim.JobId);
    }

    [Fact]
    public void A_malformed_expiry_counts_as_held_and_an_unreadable_claim_holds()
    {
        var malformed = InstanceClaim.Judge(new() { ["pool_name"] = new() { S = "__instance_claim:i-1" }, ["claim_expiry"] = new() { S = "soon" } }, Now);
        Assert.Equal(ClaimState.Live, malformed.State);
        Assert.True(InstanceClaim.Failed("Throttled").Holds);
        Assert.False(new InstanceClaim(ClaimState.Expired, 1, Now).Holds);
        Assert.Equal("claimed for job 42 until 2026-11-20T12:05:00Z", new InstanceClaim(ClaimState.Live, 42, Now.AddMinutes(5)).Describe());
    }

    private static List<string> Errors(object options)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            options, new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true);
        return results.SelectMany(r => r.MemberNames).ToList();
    }
}
