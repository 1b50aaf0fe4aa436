using RunsFleet.Activities.Sweeps.StaleSsm;

namespace RunsFleet.Tests.Activities.Sweeps.StaleSsm;

public class StaleSsmSweepRulesTests
{
    private const string Prefix = "/runs-fleet/runners/";
    private const string Id = "i-0123456789abcdef0";
    private const string Name = Prefix + Id + "/config";
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    // age in seconds (null = no LastModifiedDate), instance state (null = unknown to EC2), expected verdict
    public static TheoryData<string, int?, string?, ParameterVerdict> Cases => new()
    {
        { Name, 3600, "terminated", ParameterVerdict.Stale },
        { Name, 3600, "shutting-down", ParameterVerdict.Stale },
        { Name, 3600, null, ParameterVerdict.Stale },
        { Name, 3600, "running", ParameterVerdict.KeptInstanceAlive },
        { Name, 3600, "pending", ParameterVerdict.KeptInstanceAlive },
        { Name, 3600, "stopping", ParameterVerdict.KeptInstanceAlive },
        { Name, 3600, "stopped", ParameterVerdict.KeptInstanceAlive },
        { Name, 600, "terminated", ParameterVerdict.Stale },          // exactly at the grace boundary: no longer young
        { Name, 600, null, ParameterVerdict.Stale },
        { Name, 599, "terminated", ParameterVerdict.KeptYoung },      // one second inside the grace period
        { Name, 599, null, ParameterVerdict.KeptYoung },
        { Name, 0, null, ParameterVerdict.KeptYoung },
        { Name, -120, null, ParameterVerdict.KeptYoung },             // dated in the future (clock skew)
        { Name, null, "terminated", ParameterVerdict.KeptNoTimestamp },
        { Prefix + "shared/token", 3600, null, ParameterVerdict.KeptUnparseable },
        { Prefix + "i-0123456789abcdef0", 3600, null, ParameterVerdict.KeptUnparseable },
        { "/elsewhere/" + Id + "/config", 3600, null, ParameterVerdict.KeptUnparseable },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides_each_parameter(string name, int? ageSeconds, string? state, ParameterVerdict expected)
    {
        DateTimeOffset? modified = ageSeconds is { } age ? Now.AddSeconds(-age) : null;
        var states = state is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [Id] = state };

        Assert.Equal(expected, StaleSsmSweepRules.Decide(name, Prefix, modified, Now, Grace, states));
    }

    [Fact]
    public void A_state_for_another_instance_does_not_keep_the_parameter()
    {
        var states = new Dictionary<string, string> { ["i-0fedcba9876543210"] = "running" };

        Assert.Equal(ParameterVerdict.Stale, StaleSsmSweepRules.Decide(Name, Prefix, Now.AddHours(-1), Now, Grace, states));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("terminated", true)]
    [InlineData("shutting-down", true)]
    [InlineData("running", false)]
    [InlineData("pending", false)]
    [InlineData("stopped", false)]
    [InlineData("unknown", false)] // a state we cannot read keeps the parameter
    public void Instance_gone_only_when_terminated_shutting_down_or_unknown_to_ec2(string? state, bool gone) =>
        Assert.Equal(gone, StaleSsmSweepRules.IsInstanceGone(state));

    [Theory]
    [InlineData(Name, 600, true)]
    [InlineData(Name, 599, false)]
    [InlineData(Prefix + "shared/token", 3600, false)]
    public void Looks_up_instances_only_for_parseable_parameters_past_the_grace_period(string name, int ageSeconds, bool expected)
    {
        var needed = StaleSsmSweepRules.NeedsInstanceLookup(name, Prefix, Now.AddSeconds(-ageSeconds), Now, Grace, out var id);

        Assert.Equal(expected, needed);
        Assert.Equal(expected ? Id : string.Empty, id);
    }

    [Fact]
    public void No_lookup_without_a_timestamp() =>
        Assert.False(StaleSsmSweepRules.NeedsInstanceLookup(Name, Prefix, null, Now, Grace, out _));
}
