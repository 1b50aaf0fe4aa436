using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using RunsFleet.Infrastructure.Permissions;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Infrastructure.Permissions;

/// <summary>
/// The task roles against the code: the AWS operations each service's assemblies call (derived from their
/// IL by <see cref="AwsCallScanner"/>) must be exactly the actions its CDK task role allows.
/// Worker role: Activities + Workflows + Worker + Hosting assemblies. Bridge role: the SqsBridge and Hosting assemblies.
/// </summary>
[Collection(SynthesizedStacksCollection.Name)]
public class LeastPrivilegeTests(SynthesizedStacksFixture stacks)
{
    private static readonly string[] WorkerAssemblies = ["RunsFleet.Activities", "RunsFleet.Workflows", "RunsFleet.Worker", "RunsFleet.Hosting"];
    private static readonly string[] BridgeAssemblies = ["RunsFleet.SqsBridge", "RunsFleet.Hosting"];

    [Fact]
    public void Worker_role_allows_every_action_the_worker_code_calls()
    {
        // A stack without runsFleet:jobQueueUrl has no job queue to grant on; its worker never sends
        // (it has no RUNS_FLEET_QUEUE_URL).
        var settingOnly = ServicePermissions.Worker
            .GroupBy(g => g.Action, StringComparer.Ordinal)
            .Where(group => group.All(g => g.Scopes.All(scope => scope == ResourceScope.JobQueue)))
            .Select(group => group.Key)
            .ToHashSet(StringComparer.Ordinal);
        var calls = Calls(WorkerAssemblies);

        Assert.Equal(["sqs:SendMessage"], settingOnly);
        AssertCovers(
            [.. calls.Where(c => !settingOnly.Contains(IamActionMap.ToIamAction(c.ServiceNamespace, c.Operation)))],
            stacks.Default.AllowedActions("worker"),
            "worker",
            "ServicePermissions.Worker");
        AssertCovers(
            calls,
            stacks.WithCreatedJobsTable.AllowedActions("worker"),
            "worker (runner instance profile and job queue given)",
            "ServicePermissions.Worker");
    }

    [SkippableFact]
    public void Worker_role_allows_no_action_the_worker_code_never_calls()
    {
        var calls = Calls(WorkerAssemblies);
        Skip.If(calls.Count == 0, "The Activities/Worker assemblies call no AWS operation yet (activities not merged on this branch); the check runs once they do.");

        AssertNoExtra(calls, stacks.Default.AllowedActions("worker"), "worker", "ServicePermissions.Worker");
        AssertNoExtra(calls, stacks.WithCreatedJobsTable.AllowedActions("worker"), "worker (runner instance profile given)", "ServicePermissions.Worker");
    }

    [Fact]
    public void Bridge_role_allows_every_action_the_bridge_code_calls()
    {
        AssertCovers(Calls(BridgeAssemblies), stacks.Default.AllowedActions("sqs-bridge"), "sqs-bridge", "ServicePermissions.Bridge");
    }

    [SkippableFact]
    public void Bridge_role_allows_no_action_the_bridge_code_never_calls()
    {
        var calls = Calls(BridgeAssemblies);
        Skip.If(calls.Count == 0, "The SqsBridge assembly calls no AWS operation yet (bridge not merged on this branch); the check runs once it does.");

        AssertNoExtra(calls, stacks.Default.AllowedActions("sqs-bridge"), "sqs-bridge", "ServicePermissions.Bridge");
    }

    [Fact]
    public void Every_granted_action_is_an_operation_of_the_aws_sdk_the_project_uses()
    {
        var sdkActions = new[] { typeof(IAmazonDynamoDB), typeof(IAmazonSQS), typeof(IAmazonSimpleSystemsManagement), typeof(IAmazonEC2), typeof(IAmazonS3) }
            .SelectMany(client => client.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.Name.EndsWith("Async", StringComparison.Ordinal))
                .Select(m => IamActionMap.ToIamAction(client.Namespace!, m.Name[..^"Async".Length])))
            .ToHashSet(StringComparer.Ordinal);

        var unknown = ServicePermissions.Worker.Concat(ServicePermissions.Bridge).Select(g => g.Action).Where(a => !sdkActions.Contains(a)).ToList();

        Assert.True(unknown.Count == 0, "Granted actions no SDK operation maps to (typo?): " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_grant_says_why_it_is_needed_and_an_action_is_listed_twice_only_on_separate_conditioned_scopes()
    {
        // The one repetition allowed: ec2:TerminateInstances on the managed tag, on the runner profile and on the
        // Packer builder tag, conditions that cannot share a statement. Anything else listed twice is a slip.
        ResourceScope[] conditioned = [ResourceScope.ManagedInstances, ResourceScope.RunnerProfileInstances, ResourceScope.PackerBuilderInstances];
        foreach (var grants in new[] { ServicePermissions.Worker, ServicePermissions.Bridge })
        {
            Assert.All(grants, grant => Assert.False(string.IsNullOrWhiteSpace(grant.Reason), grant.Action));
            foreach (var repeated in grants.GroupBy(g => g.Action, StringComparer.Ordinal).Where(group => group.Count() > 1))
            {
                Assert.All(repeated, grant => Assert.Contains(Assert.Single(grant.Scopes), conditioned));
                Assert.Equal(repeated.Count(), repeated.Select(grant => grant.Scopes[0]).Distinct().Count());
            }
        }

        Assert.Equal(
            [ResourceScope.ManagedInstances, ResourceScope.RunnerProfileInstances, ResourceScope.PackerBuilderInstances],
            ServicePermissions.Worker.Where(g => g.Action == "ec2:TerminateInstances").SelectMany(g => g.Scopes).Order());
    }

    private static IReadOnlyList<AwsOperationCall> Calls(string[] assemblies) =>
        assemblies.SelectMany(name => AwsCallScanner.Scan(RepositoryFiles.Assembly(name))).ToList();

    private static void AssertCovers(IReadOnlyList<AwsOperationCall> calls, SortedSet<string> allowed, string role, string list)
    {
        var missing = calls
            .GroupBy(call => IamActionMap.ToIamAction(call.ServiceNamespace, call.Operation))
            .Where(group => !allowed.Contains(group.Key))
            .Select(group => $"{group.Key} (called from {string.Join(", ", group.Select(c => c.Caller).Distinct().Take(3))})")
            .ToList();

        Assert.True(missing.Count == 0, $"The {role} task role lacks actions the code calls; add them to {list} with their resource scope:\n  " + string.Join("\n  ", missing));
    }

    private static void AssertNoExtra(IReadOnlyList<AwsOperationCall> calls, SortedSet<string> allowed, string role, string list)
    {
        var called = IamActionMap.ToIamActions(calls);
        var extra = allowed.Where(action => !called.Contains(action)).ToList();

        Assert.True(extra.Count == 0, $"The {role} task role allows actions the code never calls; remove them from {list}: " + string.Join(", ", extra));
    }
}
