using System.ComponentModel.DataAnnotations;
using Amazon.Runtime;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using RunsFleet.Activities.Runners;
using RunsFleet.Contracts.Common;
using RunsFleet.Workflows.Common;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Activities.Runners;

public sealed class RunnerParameterNamingTests
{
    [Theory]
    [InlineData("i-0a1b2c3d", true)]
    [InlineData("i-0a1b2c3d4e5f60718", true)]
    [InlineData("i-0a1b2c3", false)] // 7 digits
    [InlineData("i-0a1b2c3d4", false)] // 9 digits
    [InlineData("i-0a1b2c3d4e5f6071", false)] // 16 digits
    [InlineData("i-0a1b2c3d4e5f607189", false)] // 18 digits
    [InlineData("i-0A1B2C3D4E5F60718", false)] // EC2 ids are lowercase
    [InlineData("i-0a1b2c3d4e5f60718\n", false)] // "$" would accept this
    [InlineData("i-0a1b2c3d/../x", false)]
    [InlineData("*", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("sir-0a1b2c3d", false)]
    public void Instance_id_shape(string? instanceId, bool valid)
    {
        Assert.Equal(valid, InstanceIds.IsValid(instanceId));
    }

    [Theory]
    [InlineData("/runs-fleet/runners", true)]
    [InlineData("/r", true)]
    [InlineData("/a.b/c_d/e-f", true)]
    [InlineData("runs-fleet/runners", false)] // not rooted
    [InlineData("/runs-fleet/runners/", false)] // trailing slash would give "//"
    [InlineData("/runs-fleet//runners", false)]
    [InlineData("/", false)]
    [InlineData("", false)]
    [InlineData("/runs fleet", false)]
    [InlineData("/runs-fleet/*", false)]
    [InlineData("/runs-fleet\n", false)]
    public void Prefix_rule_is_the_same_for_options_validation_and_the_activity(string prefix, bool valid)
    {
        var options = new RunnerParameterOptions { Prefix = prefix };
        var results = new List<ValidationResult>();

        var annotationsValid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.Equal(valid, RunnerParameterOptions.IsValidPrefix(prefix));
        Assert.Equal(valid, annotationsValid);
    }

    [Fact]
    public void Default_prefix_is_the_fleet_convention()
    {
        Assert.Equal("/runs-fleet/runners", new RunnerParameterOptions().Prefix);
    }

    [Fact]
    public void Names_are_the_config_and_credential_of_exactly_one_instance()
    {
        Assert.Equal(
            ["/runs-fleet/runners/i-0a1b2c3d4e5f60718/config", "/runs-fleet/runners/i-0a1b2c3d4e5f60718/credential"],
            RunnerParameterNames.For("/runs-fleet/runners", "i-0a1b2c3d4e5f60718"));
        Assert.Equal(["/x/i-0a1b2c3d/config", "/x/i-0a1b2c3d/credential"], RunnerParameterNames.For("/x", "i-0a1b2c3d"));
    }

    [Theory]
    [InlineData("/runs-fleet/runners", "")]
    [InlineData("/runs-fleet/runners", "i-0a1b2c3d/..")]
    [InlineData("/runs-fleet/runners/", "i-0a1b2c3d")]
    public void Names_refuse_anything_that_could_widen_the_deletion(string prefix, string instanceId)
    {
        var failure = Assert.Throws<ApplicationFailureException>(() => RunnerParameterNames.For(prefix, instanceId));

        Assert.Equal("InvalidInput", failure.ErrorType);
        Assert.True(failure.NonRetryable);
    }

    [Fact]
    public void Every_failure_the_activities_raise_as_permanent_is_non_retryable_in_the_retry_policy()
    {
        var policy = ActivityPolicies.AwsRetry.NonRetryableErrorTypes!;

        Assert.Contains(FailureTypes.Invalid("x").ErrorType!, policy);
        Assert.Contains(FailureTypes.NotFound, policy);
        Assert.DoesNotContain(FailureTypes.ConcurrentJobUpdate, policy);
        foreach (var code in FailureTypes.PermanentAwsErrorCodes)
        {
            var failure = AwsFailures.ToFailure(new AmazonServiceException("denied") { ErrorCode = code }, "Call");
            Assert.True(failure.NonRetryable, code);
            Assert.Contains(failure.ErrorType!, policy);
        }

        var throttled = AwsFailures.ToFailure(new AmazonServiceException("slow down") { ErrorCode = "ThrottlingException" }, "Call");
        Assert.False(throttled.NonRetryable);
        Assert.DoesNotContain(throttled.ErrorType!, policy);
    }
}
