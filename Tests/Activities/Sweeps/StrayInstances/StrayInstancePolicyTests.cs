using RunsFleet.Activities.Sweeps.Fleet;
using RunsFleet.Activities.Sweeps.StrayInstances;

namespace RunsFleet.Tests.Activities.Sweeps.StrayInstances;

public class StrayInstancePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = StrayInstancePolicy.Cutoff(Now, 360, 10);

    [Fact]
    public void Cutoff_is_now_minus_max_runtime_minus_buffer()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 5, 50, 0, TimeSpan.Zero), Cutoff);
        Assert.Equal(Now.AddMinutes(-60), StrayInstancePolicy.Cutoff(Now, 60, 0));
    }

    public static TheoryData<string, int?, bool, string?, StrayInstanceVerdict> Cases => new()
    {
        // name, launch offset from the cutoff in seconds (null = no launch time), protected, lookup, verdict
        { "exactly at the cutoff is young", 0, false, "none", StrayInstanceVerdict.Young },
        { "one second after the cutoff is young", 1, false, "none", StrayInstanceVerdict.Young },
        { "one second before the cutoff is an orphan", -1, false, "none", StrayInstanceVerdict.Orphan },
        { "missing launch time is kept", null, false, "none", StrayInstanceVerdict.MissingLaunchTime },
        { "missing launch time wins over protected", null, true, "none", StrayInstanceVerdict.MissingLaunchTime },
        { "protected old instance is kept", -3600, true, "none", StrayInstanceVerdict.Protected },
        { "protected is kept even without a lookup", -3600, true, null, StrayInstanceVerdict.Protected },
        { "active job keeps it", -3600, false, "active", StrayInstanceVerdict.ActiveJob },
        { "failed lookup keeps it", -3600, false, "failed", StrayInstanceVerdict.LookupFailed },
        { "no lookup made keeps it", -3600, false, null, StrayInstanceVerdict.LookupFailed },
        { "young with an active job is young", 60, false, "active", StrayInstanceVerdict.Young },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_follows_the_rules(string name, int? launchOffsetSeconds, bool isProtected, string? lookup, StrayInstanceVerdict expected)
    {
        var instance = Instance(launchOffsetSeconds is { } s ? Cutoff.AddSeconds(s) : null, isProtected);
        var answer = lookup switch
        {
            "none" => JobLookup.None,
            "active" => JobLookup.Active(42),
            "failed" => JobLookup.Failure("jobs lookup failed: ProvisionedThroughputExceededException"),
            _ => null,
        };

        var assessment = StrayInstancePolicy.Decide(instance, Cutoff, answer);

        Assert.True(expected == assessment.Verdict, $"{name}: expected {expected}, got {assessment.Verdict} ({assessment.Reason})");
        Assert.False(string.IsNullOrWhiteSpace(assessment.Reason));
    }

    [Fact]
    public void Reasons_name_the_job_and_the_failure()
    {
        var old = Instance(Cutoff.AddHours(-1), false);
        Assert.Contains("42", StrayInstancePolicy.Decide(old, Cutoff, JobLookup.Active(42)).Reason, StringComparison.Ordinal);
        Assert.Contains("Throttled", StrayInstancePolicy.Decide(old, Cutoff, JobLookup.Failure("Throttled")).Reason, StringComparison.Ordinal);
        Assert.Contains("protected", StrayInstancePolicy.Decide(Instance(Cutoff.AddHours(-1), true), Cutoff, null).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, false, true)]
    [InlineData(0, false, false)]
    [InlineData(-1, true, false)]
    public void Needs_job_lookup_only_for_old_unprotected_instances(int offsetSeconds, bool isProtected, bool expected) =>
        Assert.Equal(expected, StrayInstancePolicy.NeedsJobLookup(Instance(Cutoff.AddSeconds(offsetSeconds), isProtected), Cutoff));

    [Fact]
    public void Needs_no_lookup_without_launch_time() =>
        Assert.False(StrayInstancePolicy.NeedsJobLookup(Instance(null, false), Cutoff));

    private static FleetInstance Instance(DateTimeOffset? launched, bool isProtected) =>
        new("i-0123456789abcdef0", "running", launched, "m5.large", isProtected, null);
}
