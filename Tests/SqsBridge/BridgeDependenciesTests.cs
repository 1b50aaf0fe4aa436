using System.Reflection;
using RunsFleet.SqsBridge.Contracts;
using RunsFleet.SqsBridge.Pump;

namespace RunsFleet.Tests.SqsBridge;

/// <summary>
/// What the bridge assembly's own code uses: SQS and Temporal, never the SDKs of the AWS services the
/// activities call, nor RunsFleet.Activities or RunsFleet.Workflows: the termination path and the sweep
/// triggers take their inputs, ids and limits from RunsFleet.Contracts.
/// </summary>
public sealed class BridgeDependenciesTests
{
    private static readonly string[] ActivitySdks =
        ["AWSSDK.EC2", "AWSSDK.SimpleSystemsManagement", "AWSSDK.DynamoDBv2", "AWSSDK.S3"];

    [Fact]
    public void The_bridge_assembly_references_none_of_the_ec2_ssm_dynamodb_s3_sdks()
    {
        var references = typeof(SqsQueuePump).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("AWSSDK.SQS", references);
        Assert.Contains("RunsFleet.Contracts", references);
        Assert.All(ActivitySdks, sdk => Assert.DoesNotContain(sdk, references));
        Assert.DoesNotContain("RunsFleet.Activities", references);
        Assert.DoesNotContain("RunsFleet.Workflows", references);
    }

    [Fact]
    public void The_bridge_build_carries_no_activity_sdk_nor_the_activities_or_workflows()
    {
        // deps.json lists every assembly the bridge's build output loads, project references included.
        var deps = File.ReadAllText(Path.Combine(
            Path.GetDirectoryName(typeof(SqsQueuePump).Assembly.Location)!, "RunsFleet.SqsBridge.deps.json"));

        Assert.All([.. ActivitySdks, "RunsFleet.Activities", "RunsFleet.Workflows"],
            name => Assert.DoesNotContain($"\"{name}/", deps, StringComparison.Ordinal));
        Assert.Contains("\"RunsFleet.Contracts/", deps, StringComparison.Ordinal);
    }

    [Fact]
    public void The_termination_and_housekeeping_paths_take_their_types_from_contracts_only()
    {
        var used = new[]
            {
                typeof(TerminationMessageParser), typeof(TerminationMessageHandler), typeof(HousekeepingMessageParser),
                typeof(HousekeepingTrigger),
            }
            .SelectMany(UsedTypes)
            .Select(t => t.Assembly.GetName().Name)
            .Distinct()
            .ToList();

        Assert.Contains("RunsFleet.Contracts", used);
        Assert.DoesNotContain("RunsFleet.Activities", used);
        Assert.DoesNotContain("RunsFleet.Workflows", used);
    }

    // Signatures of every member and the generic arguments of the base type: what a type's API is made of.
    private static IEnumerable<Type> UsedTypes(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance
            | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = new List<Type>(type.BaseType?.GetGenericArguments() ?? []);
        foreach (var method in type.GetMethods(All))
        {
            types.Add(method.ReturnType);
            types.AddRange(method.GetParameters().Select(p => p.ParameterType));
            types.AddRange(method.GetMethodBody()?.LocalVariables.Select(l => l.LocalType) ?? []);
        }

        return types.SelectMany(t => t.IsGenericType ? [t, .. t.GetGenericArguments()] : new[] { t });
    }
}
