using System.Text.Json;
using RunsFleet.Infrastructure;

namespace RunsFleet.Tests.Infrastructure.Permissions;

/// <summary>
/// runsFleet:runnerInstanceProfileArn: OrphanSweep phase b terminates instances on the runner profile that lack the
/// managed tag, so a stack given the profile lets the worker terminate exactly those (ec2:InstanceProfile) and tells
/// it the profile; a stack without it grants and sets neither; a value that is not an instance-profile ARN stops synthesis.
/// </summary>
[Collection(SynthesizedStacksCollection.Name)]
public class RunnerProfileTemplateTests(SynthesizedStacksFixture stacks)
{
    private const string Variable = "RUNS_FLEET_STRAY_INSTANCES_RUNNER_INSTANCE_PROFILE";
    private const string InstancesArn = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*";

    [Fact]
    public void With_the_runner_profile_the_worker_may_terminate_instances_on_it_in_a_statement_of_its_own()
    {
        var terminate = TerminateStatements(stacks.WithCreatedJobsTable);
        var profile = Assert.Single(terminate, s => s.TryGetProperty("Condition", out var c) && c.TryGetProperty("ArnEquals", out _));
        var tagged = terminate.Where(s => s.TryGetProperty("Condition", out var c) && c.TryGetProperty("StringEquals", out _)).ToList();
        var managed = Assert.Single(tagged, s => s.GetProperty("Condition").GetProperty("StringEquals").TryGetProperty("ec2:ResourceTag/runs-fleet:managed", out _));

        // Managed tag, runner profile, Packer builder tag (phase f).
        Assert.Equal(3, terminate.Count);
        Assert.Equal(["ec2:TerminateInstances"], SynthesizedStack.Actions(profile));
        Assert.Equal([InstancesArn], SynthesizedStack.ResourcesOf(profile));
        var expected = JsonSerializer.SerializeToElement(new Dictionary<string, Dictionary<string, string>>
        {
            ["ArnEquals"] = new() { ["ec2:InstanceProfile"] = SynthesizedStacksFixture.RunnerInstanceProfileArn },
        });
        Assert.True(JsonElement.DeepEquals(expected, profile.GetProperty("Condition")), profile.GetProperty("Condition").GetRawText());
        Assert.Equal("true", managed.GetProperty("Condition").GetProperty("StringEquals").GetProperty("ec2:ResourceTag/runs-fleet:managed").GetString());
    }

    [Fact]
    public void With_the_runner_profile_the_worker_container_gets_it_and_the_bridge_does_not()
    {
        Assert.Equal(SynthesizedStacksFixture.RunnerInstanceProfileArn, stacks.WithCreatedJobsTable.EnvironmentOf("worker")[Variable]);
        Assert.DoesNotContain(Variable, stacks.WithCreatedJobsTable.EnvironmentOf("sqs-bridge").Keys);
    }

    [Fact]
    public void Without_the_runner_profile_there_is_neither_the_statement_nor_the_variable()
    {
        var statements = stacks.Default.TaskRoleStatements("worker").Concat(stacks.Default.TaskRoleStatements("sqs-bridge"));

        Assert.DoesNotContain(statements, s => s.GetRawText().Contains("ec2:InstanceProfile", StringComparison.Ordinal));
        Assert.DoesNotContain(TerminateStatements(stacks.Default), s => s.GetRawText().Contains("ArnEquals", StringComparison.Ordinal));
        Assert.DoesNotContain(Variable, stacks.Default.EnvironmentOf("worker").Keys);
    }

    [Theory]
    [InlineData("runners")]
    [InlineData("arn:aws:iam::123456789012:role/runners")]
    [InlineData("arn:aws:iam::12345678901:instance-profile/runners")]
    [InlineData("arn:aws:iam:eu-west-1:123456789012:instance-profile/runners")]
    [InlineData("arn:aws:iam::123456789012:instance-profile/")]
    [InlineData("arn:aws:iam::123456789012:instance-profile/runners*")]
    [InlineData("arn:aws:iam::123456789012:instance-profile/runners\n")]
    [InlineData(" arn:aws:iam::123456789012:instance-profile/runners")]
    public void A_runner_profile_that_is_not_an_instance_profile_arn_fails_synthesis_naming_the_key(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SynthesizedStack.Synthesize(new Dictionary<string, object>
        {
            [RunsFleetSettings.Keys.RunnerInstanceProfileArn] = value,
        }));

        Assert.Contains($"'{RunsFleetSettings.Keys.RunnerInstanceProfileArn}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("instance-profile", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:instance-profile/runners")]
    [InlineData("arn:aws-cn:iam::123456789012:instance-profile/fleet/linux/runners")]
    [InlineData("arn:aws-us-gov:iam::123456789012:instance-profile/runs-fleet_runner+x=y,z.@-1")]
    public void Instance_profile_arns_in_any_partition_and_at_any_path_are_accepted(string value)
    {
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps
        {
            Context = new Dictionary<string, object>
            {
                [RunsFleetSettings.Keys.TemporalAddress] = "t:7233",
                [RunsFleetSettings.Keys.RunnerInstanceProfileArn] = value,
            },
        });

        Assert.Equal(value, RunsFleetSettings.FromContext(app.Node).RunnerInstanceProfileArn);
    }

    private static List<JsonElement> TerminateStatements(SynthesizedStack stack) =>
        stack.TaskRoleStatements("worker").Where(s => SynthesizedStack.Actions(s).Contains("ec2:TerminateInstances")).ToList();
}
