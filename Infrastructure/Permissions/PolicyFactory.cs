using Amazon.CDK.AWS.IAM;

namespace RunsFleet.Infrastructure.Permissions;

/// <summary>Turns a service's <see cref="ActionGrant"/> list into IAM statements, one per distinct set of scopes.</summary>
internal static class PolicyFactory
{
    /// <summary>Tag every instance the fleet launches carries; the only instances the worker may terminate.</summary>
    public const string ManagedTagConditionKey = "ec2:ResourceTag/runs-fleet:managed";

    public static PolicyDocument Document(IReadOnlyList<ActionGrant> grants, ScopedResources resources)
    {
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(resources);
        var statements = grants
            .GroupBy(grant => string.Join('+', grant.Scopes.Order()))
            .Select(group => Statement(group.ToList(), resources))
            .ToArray();
        return new PolicyDocument(new PolicyDocumentProps { Statements = statements });
    }

    private static PolicyStatement Statement(IReadOnlyList<ActionGrant> grants, ScopedResources resources)
    {
        var scopes = grants[0].Scopes.Order().ToList();
        foreach (var grant in grants)
        {
            if (grant.Action.Contains('*', StringComparison.Ordinal) || !grant.Action.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{grant.Action}' is not one exact IAM action (service:Operation).", nameof(grants));
            }
        }

        var props = new PolicyStatementProps
        {
            Sid = string.Concat(scopes.Select(scope => scope.ToString())),
            Effect = Effect.ALLOW,
            Actions = grants.Select(grant => grant.Action).Order(StringComparer.Ordinal).ToArray(),
            Resources = scopes.SelectMany(resources.ArnsOf).Distinct().ToArray(),
        };
        if (scopes.Contains(ResourceScope.ManagedInstances))
        {
            if (scopes.Count != 1)
            {
                throw new ArgumentException("ManagedInstances carries a tag condition and cannot share a statement with other scopes.", nameof(grants));
            }

            props.Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { [ManagedTagConditionKey] = "true" },
            };
        }

        return new PolicyStatement(props);
    }
}
