using RunsFleet.Activities.Sweeps.StaleSsm;

namespace RunsFleet.Tests.Activities.Sweeps.StaleSsm;

public class RunnerParameterPathTests
{
    private const string Prefix = "/runs-fleet/runners/";

    [Theory]
    [InlineData("/runs-fleet/runners/i-0123456789abcdef0/config", "i-0123456789abcdef0")]
    [InlineData("/runs-fleet/runners/i-0123456789abcdef0/deep/nested/token", "i-0123456789abcdef0")]
    [InlineData("/runs-fleet/runners/i-0abc1234/config", "i-0abc1234")]
    public void Parses_the_instance_id_segment(string name, string expected)
    {
        Assert.True(RunnerParameterPath.TryGetInstanceId(name, Prefix, out var id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("/runs-fleet/runners/i-0123456789abcdef0")] // no child segment: not a runner parameter
    [InlineData("/runs-fleet/runners/i-0123456789abcdef0/")]
    [InlineData("/runs-fleet/runners/config")]
    [InlineData("/runs-fleet/runners/shared/token")]
    [InlineData("/runs-fleet/runners/i-0123456789ABCDEF0/config")] // EC2 ids are lower-case hex
    [InlineData("/runs-fleet/runners/i-0123/config")]
    [InlineData("/runs-fleet/runners//config")]
    [InlineData("/runs-fleet/other/i-0123456789abcdef0/config")]
    [InlineData("/runs-fleet/runners-old/i-0123456789abcdef0/config")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_names_without_an_instance_id(string? name)
    {
        Assert.False(RunnerParameterPath.TryGetInstanceId(name, Prefix, out var id));
        Assert.Equal(string.Empty, id);
    }

    [Fact]
    public void Accepts_a_prefix_without_trailing_slash()
    {
        Assert.True(RunnerParameterPath.TryGetInstanceId("/runs-fleet/runners/i-0abc1234/x", "/runs-fleet/runners", out var id));
        Assert.Equal("i-0abc1234", id);
    }

    [Theory]
    [InlineData("/runs-fleet/runners/", "/runs-fleet/runners")]
    [InlineData("/runs-fleet/runners", "/runs-fleet/runners")]
    [InlineData("/", "/")]
    public void Path_filter_value_has_no_trailing_slash(string prefix, string expected) =>
        Assert.Equal(expected, RunnerParameterPath.PathFilterValue(prefix));
}
