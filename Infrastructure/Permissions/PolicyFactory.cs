using Amazon.CDK.AWS.IAM;

namespace RunsFleet.Infrastructure.Permissions;

/// <summary>
/// Turns a service's <see cref="ActionGrant"/> list into IAM statements, one per distinct set of scopes.
/// A scope that carries an IAM condition stands alone in its grant (its statement would otherwise extend the
/// condition to, or drop it from, the other scopes). Grants on a scope the stack does not configure are left out.
/// </summary>
internal static class PolicyFactory
{
    /// <summary>Tag every instance the fleet launches carries; the instances the worker may terminate by
    /// default.</summary>
    public const string ManagedTagConditionKey = "ec2:ResourceTag/runs-fleet:managed";

    /// <summary>Tag runs-fleet's Packer templates put on their AMI builders (value runs-fleet-packer); phase f's
    /// instances.</summary>
    public const string PackerBuilderTagConditionKey = "ec2:ResourceTag/created-by";

    /// <summary>The instance profile an instance runs with; phase b's instances are found by it, not by the
    /// tag.</summary>
    public const string InstanceProfileConditionKey = "ec2:InstanceProfile";

    public static PolicyDocument Document(IReadOnlyList<ActionGrant> grants, ScopedResources resources)
    {
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(resources);
        foreach (var grant in grants)
        {
            Validate(grant);
        }

        var statements = grants
            .Where(grant => grant.Scopes.All(resources.Provides))
            .GroupBy(grant => string.Join('+', grant.Scopes.Order()))
            .Select(group => Statement(group.ToList(), resources))
            .ToArray();
        return new PolicyDocument(new PolicyDocumentProps { Statements = statements });
    }

    private static void Validate(ActionGrant grant)
    {
        if (grant.Action.Contains('*', StringComparison.Ordinal) || !grant.Action.Contains(':',
            StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{grant.Action}' is not one exact IAM action (service:Operation).",
                nameof(grant));
        }

        if (grant.Scopes.Count != 1 && grant.Scopes.Any(HasCondition))
        {
            throw new ArgumentException(
                $"'{grant.Action}': {string.Join(", ", grant.Scopes.Where(HasCondition))} carries an IAM condition "
                    + $"and cannot share a statement with other scopes.",
                nameof(grant));
        }
    }

    private static PolicyStatement Statement(IReadOnlyList<ActionGrant> grants, ScopedResources resources)
    {
        var scopes = grants[0].Scopes.Order().ToList();
        var props = new PolicyStatementProps
        {
            Sid = string.Concat(scopes.Select(scope => scope.ToString())),
            Effect = Effect.ALLOW,
            Actions = grants.Select(grant => grant.Action).Order(StringComparer.Ordinal).ToArray(),
            Resources = scopes.SelectMany(resources.ArnsOf).Distinct().ToArray(),
        };
        if (scopes.Count == 1 && Condition(scopes[0], resources) is { } condition)
        {
            props.Conditions = condition;
        }

        return new PolicyStatement(props);
    }

    private static bool HasCondition(ResourceScope scope) => Condition(scope, null) is not null;

    /// <summary>The IAM condition of a scope, or null for a scope its ARNs alone describe (resources null: only whether
    /// there is one).</summary>
    private static Dictionary<string, object>? Condition(ResourceScope scope, ScopedResources? resources) =>
        scope switch
    {
        ResourceScope.ManagedInstances => Compare("StringEquals", ManagedTagConditionKey, "true"),
        // ec2:InstanceProfile is an ARN-typed key: compared with ArnEquals against the configured profile ARN.
        ResourceScope.RunnerProfileInstances =>
            Compare("ArnEquals", InstanceProfileConditionKey, resources?.RunnerInstanceProfileArn ?? string.Empty),
        ResourceScope.PackerBuilderInstances =>
            Compare("StringEquals", PackerBuilderTagConditionKey, "runs-fleet-packer"),
        _ => null,
    };

    private static Dictionary<string, object> Compare(string conditionOperator, string key, string value) =>
        new() { [conditionOperator] = new Dictionary<string, object> { [key] = value } };
}
