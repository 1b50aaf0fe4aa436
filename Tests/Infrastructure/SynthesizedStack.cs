using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using RunsFleet.Infrastructure;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// A runs-fleet stack synthesized offline (jsii runs on the installed node), as the CDK assertions
/// <see cref="Template"/> and as the raw CloudFormation JSON for exact checks.
/// </summary>
public sealed class SynthesizedStack
{
    public const string TemporalAddress = "runs-fleet.a1b2c.tmprl.cloud:7233";
    public const string TemporalNamespace = "runs-fleet.a1b2c";
    public const string ApiKeySecretName = "runs-fleet/temporal-api-key";

    private SynthesizedStack(RunsFleetStack stack, Template template, JsonElement json)
    {
        Stack = stack;
        Template = template;
        Json = json;
    }

    public RunsFleetStack Stack { get; }

    public Template Template { get; }

    public JsonElement Json { get; }

    /// <summary>Synthesizes a stack with the given extra context (images are always given: no Docker asset here).</summary>
    public static SynthesizedStack Synthesize(IDictionary<string, object>? extraContext = null)
    {
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        var context = new Dictionary<string, object>
        {
            [RunsFleetSettings.Keys.TemporalAddress] = TemporalAddress,
            [RunsFleetSettings.Keys.TemporalNamespace] = TemporalNamespace,
            [RunsFleetSettings.Keys.TemporalApiKeySecret] = ApiKeySecretName,
            [RunsFleetSettings.Keys.WorkerImage] = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/runs-fleet-worker:test",
            [RunsFleetSettings.Keys.BridgeImage] = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/runs-fleet-sqs-bridge:test",
        };
        foreach (var (key, value) in extraContext ?? new Dictionary<string, object>())
        {
            context[key] = value;
        }

        var outdir = Directory.CreateTempSubdirectory("runs-fleet-cdk-").FullName;
        try
        {
            var app = new App(new AppProps { Context = context, Outdir = outdir });
            var stack = new RunsFleetStack(app, "RunsFleetTest", RunsFleetSettings.FromContext(app.Node));
            var assembly = app.Synth();
            var json = JsonDocument.Parse(File.ReadAllText(assembly.GetStackByName(stack.StackName).TemplateFullPath)).RootElement.Clone();
            return new SynthesizedStack(stack, Template.FromStack(stack), json);
        }
        finally
        {
            Directory.Delete(outdir, recursive: true);
        }
    }

    /// <summary>(logical id, properties) of every resource of a CloudFormation type.</summary>
    public IEnumerable<(string Id, JsonElement Properties)> Resources(string type) =>
        Json.GetProperty("Resources").EnumerateObject()
            .Where(resource => resource.Value.GetProperty("Type").GetString() == type)
            .Select(resource => (resource.Name, resource.Value.TryGetProperty("Properties", out var p) ? p : default));

    /// <summary>The container definition named <paramref name="containerName"/> and its task definition's properties.</summary>
    public (JsonElement Container, JsonElement TaskDefinition) Container(string containerName)
    {
        foreach (var (_, properties) in Resources("AWS::ECS::TaskDefinition"))
        {
            foreach (var container in properties.GetProperty("ContainerDefinitions").EnumerateArray())
            {
                if (container.GetProperty("Name").GetString() == containerName)
                {
                    return (container, properties);
                }
            }
        }

        throw new InvalidOperationException($"No container named {containerName} in the template.");
    }

    /// <summary>Environment variables of a container (values rendered as JSON when they are CloudFormation intrinsics).</summary>
    public Dictionary<string, string> EnvironmentOf(string containerName) =>
        Container(containerName).Container.GetProperty("Environment").EnumerateArray().ToDictionary(
            variable => variable.GetProperty("Name").GetString()!,
            variable => variable.GetProperty("Value") is { ValueKind: JsonValueKind.String } text ? text.GetString()! : JsonSerializer.Serialize(variable.GetProperty("Value")),
            StringComparer.Ordinal);

    /// <summary>Every IAM statement that applies to the task role of a container: inline policies and attached AWS::IAM::Policy resources.</summary>
    public IReadOnlyList<JsonElement> TaskRoleStatements(string containerName)
    {
        var roleId = Container(containerName).TaskDefinition.GetProperty("TaskRoleArn").GetProperty("Fn::GetAtt")[0].GetString()!;
        var role = Json.GetProperty("Resources").GetProperty(roleId).GetProperty("Properties");
        var statements = new List<JsonElement>();
        if (role.TryGetProperty("Policies", out var inline))
        {
            foreach (var policy in inline.EnumerateArray())
            {
                statements.AddRange(policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
            }
        }

        foreach (var (_, policy) in Resources("AWS::IAM::Policy"))
        {
            if (policy.GetProperty("Roles").EnumerateArray().Any(r => r.TryGetProperty("Ref", out var id) && id.GetString() == roleId))
            {
                statements.AddRange(policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
            }
        }

        return statements;
    }

    /// <summary>The Action of a statement as a list (CloudFormation allows a string or an array).</summary>
    public static IReadOnlyList<string> Actions(JsonElement statement) => Strings(statement.GetProperty("Action"));

    /// <summary>The Resource of a statement as a list of raw JSON (strings or intrinsics).</summary>
    public static IReadOnlyList<string> ResourcesOf(JsonElement statement) =>
        statement.GetProperty("Resource") is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().Select(Render).ToList()
            : [Render(statement.GetProperty("Resource"))];

    /// <summary>Every allowed IAM action of a container's task role.</summary>
    public SortedSet<string> AllowedActions(string containerName) => new(
        TaskRoleStatements(containerName)
            .Where(statement => statement.GetProperty("Effect").GetString() == "Allow")
            .SelectMany(Actions),
        StringComparer.Ordinal);

    private static IReadOnlyList<string> Strings(JsonElement element) => element.ValueKind == JsonValueKind.Array
        ? element.EnumerateArray().Select(item => item.GetString()!).ToList()
        : [element.GetString()!];

    /// <summary>A string as itself; an intrinsic (Fn::Join of an ARN) as its joined text with Refs as ${Name}.</summary>
    private static string Render(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Object when element.TryGetProperty("Fn::Join", out var join) =>
            string.Join(join[0].GetString(), join[1].EnumerateArray().Select(Render)),
        JsonValueKind.Object when element.TryGetProperty("Ref", out var reference) => "${" + reference.GetString() + "}",
        JsonValueKind.Object when element.TryGetProperty("Fn::GetAtt", out var attribute) =>
            "${" + attribute[0].GetString() + "." + attribute[1].GetString() + "}",
        _ => element.GetRawText(),
    };
}
