using System.Reflection;
using System.Text.Json;
using RunsFleet.Infrastructure;
using RunsFleet.Infrastructure.Permissions;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>The CDK app's entry configuration and its settings, without synthesis.</summary>
/// <remarks>
/// In the synthesized-stacks collection although it needs no stack: the jsii runtime behind every CDK
/// object initializes once per process and is not safe to initialize from two test classes in parallel.
/// </remarks>
[Collection(SynthesizedStacksCollection.Name)]
public class CdkAppTests
{
    [Fact]
    public void Cdk_json_runs_the_infrastructure_project_and_only_sets_known_context_keys()
    {
        using var cdk = JsonDocument.Parse(RepositoryFiles.Read("Infrastructure/cdk.json"));
        var known = typeof(RunsFleetSettings.Keys).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToHashSet();

        Assert.Equal("dotnet run --project RunsFleet.Infrastructure.csproj", cdk.RootElement.GetProperty("app").GetString());
        var runsFleetKeys = cdk.RootElement.GetProperty("context").EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith("runsFleet:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(runsFleetKeys);
        Assert.All(runsFleetKeys, key => Assert.Contains(key, known));
        Assert.False(cdk.RootElement.GetProperty("context").TryGetProperty(RunsFleetSettings.Keys.TemporalAddress, out _), "the Temporal address is per environment: no default");
    }

    [Fact]
    public void Operator_guide_documents_every_context_key_and_both_docs_say_how_to_pick_the_termination_queue_kind()
    {
        var guide = RepositoryFiles.Read("docs/operator-guide.md");
        var readme = RepositoryFiles.Read("README.md");
        var keys = typeof(RunsFleetSettings.Keys).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

        Assert.All(keys, key => Assert.Contains($"`{key}`", guide, StringComparison.Ordinal));
        foreach (var doc in new[] { guide, readme })
        {
            Assert.Contains(RunsFleetSettings.Keys.TerminationQueueKind + "=standard", doc, StringComparison.Ordinal);
            Assert.Contains("TERMINATION_QUEUE_KIND=standard", doc, StringComparison.Ordinal);
            Assert.Contains("need the standard kind", doc, StringComparison.Ordinal);
            Assert.Contains("--message-group-id", doc, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Prefixes_from_context_lose_surrounding_slashes_so_iam_scopes_match_the_keys_the_code_writes()
    {
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps
        {
            Context = new Dictionary<string, object>
            {
                [RunsFleetSettings.Keys.TemporalAddress] = "t:7233",
                [RunsFleetSettings.Keys.ArchivePrefix] = "/archive/jobs/",
                [RunsFleetSettings.Keys.RunnerParameterPrefix] = "/fleet/runners/",
                [RunsFleetSettings.Keys.CreateJobsTable] = "true",
            },
        });

        var settings = RunsFleetSettings.FromContext(app.Node);

        Assert.Equal("archive/jobs", settings.ArchivePrefix);
        Assert.Equal("pool-audit", settings.ReportPrefix);
        Assert.Equal("/fleet/runners", settings.RunnerParameterPrefix);
        Assert.True(settings.CreateJobsTable);
        Assert.True(settings.TemporalTls);
    }

    [Theory]
    [InlineData(ResourceScope.ManagedInstances, ResourceScope.Unscoped)]
    [InlineData(ResourceScope.RunnerProfileInstances, ResourceScope.Unscoped)]
    [InlineData(ResourceScope.ManagedInstances, ResourceScope.RunnerProfileInstances)]
    public void A_scope_with_a_condition_cannot_share_a_statement(ResourceScope conditioned, ResourceScope other)
    {
        var resources = Resources("arn:aws:iam::123456789012:instance-profile/runners");
        var grant = new ActionGrant("ec2:TerminateInstances", [conditioned, other], "would extend or drop the condition");

        var error = Assert.Throws<ArgumentException>(() => PolicyFactory.Document([grant], resources));

        Assert.Contains(conditioned.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_grant_on_the_runner_profile_is_left_out_while_no_profile_is_configured()
    {
        var resources = Resources(runnerProfile: null);
        ActionGrant[] grants =
        [
            new("ec2:TerminateInstances", ResourceScope.ManagedInstances, "tagged"),
            new("ec2:TerminateInstances", ResourceScope.RunnerProfileInstances, "on the profile"),
        ];

        var configured = resources with { RunnerInstanceProfileArn = "arn:aws:iam::123456789012:instance-profile/runners" };
        var stack = new Amazon.CDK.Stack();
        string Json(ScopedResources given) => JsonSerializer.Serialize(stack.Resolve(PolicyFactory.Document(grants, given)));
        var without = Json(resources);
        var with = Json(configured);

        Assert.Equal(1, PolicyFactory.Document(grants, resources).StatementCount);
        Assert.Equal(2, PolicyFactory.Document(grants, configured).StatementCount);
        Assert.DoesNotContain("ec2:InstanceProfile", without, StringComparison.Ordinal);
        Assert.Contains("ec2:ResourceTag/runs-fleet:managed", without, StringComparison.Ordinal);
        Assert.Contains("instance-profile/runners", with, StringComparison.Ordinal);
        Assert.Contains("ec2:ResourceTag/runs-fleet:managed", with, StringComparison.Ordinal);
    }

    /// <summary>Scoped resources with one short ARN per scope, for the policy factory's rules.</summary>
    internal static ScopedResources Resources(string? runnerProfile) => new()
    {
        TerminationQueueArn = "q1",
        HousekeepingQueueArn = "q2",
        JobsTableArn = "t",
        JobsTableIndexArns = ["t/index/a"],
        PoolsTableArn = "p",
        RunnerParametersArn = "ssm",
        ArchiveObjectsArn = "a/*",
        ReportObjectsArn = "r/*",
        InstancesArn = "i/*",
        RunnerInstanceProfileArn = runnerProfile,
    };
}
