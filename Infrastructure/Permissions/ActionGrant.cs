namespace RunsFleet.Infrastructure.Permissions;

/// <summary>One IAM action a service needs, the resources it is limited to, and why it is needed.</summary>
/// <param name="Action">Exact IAM action, e.g. <c>dynamodb:UpdateItem</c> (never a wildcard).</param>
/// <param name="Scopes">Where the action is allowed.</param>
/// <param name="Reason">The code path that calls it, for reviewers.</param>
internal sealed record ActionGrant(string Action, IReadOnlyList<ResourceScope> Scopes, string Reason)
{
    public ActionGrant(string action, ResourceScope scope, string reason)
        : this(action, [scope], reason)
    {
    }
}
