using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RunsFleet.Tests.Support;

/// <summary>
/// Loopback EC2 speaking the query protocol (form POST Action=...; XML answers in the
/// 2016-11-15 namespace) for the real v4 client:
/// <c>await using var ec2 = new FakeEc2Server(); ec2.AddInstance("i-1", tags: new() { ["runs-fleet:pool"] = "x" });
/// using var client = AwsClients.Ec2(ec2.ServiceUrl);</c>.
/// DescribeInstances: Filter.N.Name/Value.M for tag:&lt;key&gt;, tag-key, instance-state-name,
/// instance-id, instance-type, iam-instance-profile.arn (an instance without a profile matches no
/// value) (values may use * and ?), at most <see cref="MaxFilterValues"/> values per
/// filter (more -> FilterLimitExceeded, as EC2 answers), InstanceId.N (unknown id ->
/// InvalidInstanceID.NotFound), MaxResults 5..1000 with NextToken (not combinable with InstanceId.N),
/// instances grouped into reservations. <see cref="EmptyPageEvery"/> makes paginated calls sometimes
/// answer an empty page with a NextToken, which real EC2 may do, so callers must follow the token. TerminateInstances (-> shutting-down) and StopInstances
/// (-> stopping) return previous/current states; <see cref="CompleteTransitions"/> finishes them.
/// TerminateInstances naming an instance with <see cref="FakeEc2Instance.DisableApiTermination"/> fails as a
/// whole with OperationNotPermitted naming the first such instance (AWS's code and message); nothing changes.
/// <see cref="AddPackerBuilder"/> seeds an AMI builder as runs-fleet's Packer templates launch it.
/// CreateTags (ResourceId.N instance ids, Tag.N.Key/Value) sets tags. CancelSpotInstanceRequests
/// (SpotInstanceRequestId.N, all known to <see cref="SpotRequests"/>) marks requests cancelled;
/// an instance with a <see cref="FakeEc2Instance.SpotRequestId"/> is listed with it. DescribeVolumes lists
/// the instances' <see cref="FakeEc2Instance.Volumes"/> (FakeEc2Server.Volumes.cs).
/// Add or replace operations with <see cref="LoopbackAwsServer.Handle"/>.
/// </summary>
public sealed partial class FakeEc2Server : LoopbackAwsServer
{
    /// <summary>XML namespace of EC2 API version 2016-11-15.</summary>
    public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

    /// <summary>
    /// Values one filter may carry. EC2 answers more with FilterLimitExceeded, "The maximum number of
    /// filter values specified on a single call is 200" (as reported from production in
    /// gjbae1212/gossm#47, apache/druid#1954, convox/rack#2205).
    /// </summary>
    public const int MaxFilterValues = 200;

    private readonly List<FakeEc2Instance> _instances = [];
    private int _paginatedCalls;
    private int? _emptyPageEvery;

    /// <summary>Starts the fake on a free loopback port.</summary>
    public FakeEc2Server()
    {
        Handle("DescribeInstances", DescribeInstances);
        Handle("TerminateInstances", request =>
        {
            RefuseProtected(request.FormList("InstanceId"));
            return ChangeStates(request, "TerminateInstancesResponse", Terminate);
        });
        Handle("StopInstances", request => ChangeStates(request, "StopInstancesResponse", Stop));
        Handle("CreateTags", CreateTags);
        Handle("CancelSpotInstanceRequests", CancelSpotInstanceRequests);
        Handle("DescribeVolumes", DescribeVolumes);
    }

    /// <summary>Spot requests by id (sir-...) with their state: open, active, cancelled.</summary>
    public Dictionary<string, string> SpotRequests { get; } = new(StringComparer.Ordinal);

    /// <summary>Snapshot of all instances in insertion order (terminated ones stay visible, as in AWS).</summary>
    public IReadOnlyList<FakeEc2Instance> Instances
    {
        get
        {
            lock (_instances)
            {
                return [.. _instances];
            }
        }
    }

    /// <summary>The instance with <paramref name="instanceId"/>, or null.</summary>
    public FakeEc2Instance? Find(string instanceId)
    {
        lock (_instances)
        {
            return _instances.Find(i => i.InstanceId == instanceId);
        }
    }

    /// <summary>
    /// Seeds an instance. <paramref name="instanceId"/> defaults to a fresh i-... id; each instance gets
    /// its own reservation unless <paramref name="reservationId"/> is shared.
    /// </summary>
    public FakeEc2Instance AddInstance(
        string? instanceId = null,
        string state = Ec2States.Running,
        DateTimeOffset? launchTime = null,
        string instanceType = "t3.micro",
        IReadOnlyDictionary<string, string>? tags = null,
        string? reservationId = null)
    {
        _ = Ec2States.Code(state);
        var instance = new FakeEc2Instance(
            instanceId ?? "i-" + Guid.NewGuid().ToString("N")[..17],
            reservationId ?? "r-" + Guid.NewGuid().ToString("N")[..17])
        {
            State = state,
            LaunchTime = launchTime,
            InstanceType = instanceType,
        };
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            instance.Tags[key] = value;
        }

        lock (_instances)
        {
            if (_instances.Exists(i => i.InstanceId == instance.InstanceId))
            {
                throw new ArgumentException($"Instance {instance.InstanceId} already exists.", nameof(instanceId));
            }

            _instances.Add(instance);
        }

        return instance;
    }

    /// <summary>runs-fleet's Packer templates (packer/*.pkr.hcl at 2bb4703) and the instance type each builds on.</summary>
    public static IReadOnlyDictionary<string, string> PackerTemplates { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["runner-base-amd64"] = "c6i.xlarge",
        ["runner-base-arm64"] = "c7g.xlarge",
        ["runs-fleet-runner-amd64"] = "c7i.xlarge",
        ["runs-fleet-runner-arm64"] = "c7g.xlarge",
    };

    /// <summary>
    /// Seeds a Packer AMI builder as runs-fleet's template <paramref name="template"/> launches it: its
    /// run_tags (Name=packer-TEMPLATE-builder, created-by=runs-fleet-packer; runner-base-amd64.pkr.hcl:105-108
    /// and the same block in the other three), its instance type, and iam_instance_profile "runs-fleet-runner"
    /// (line 45), the runners' own profile. Packer stops the builder to snapshot it, so any state may be given.
    /// </summary>
    public FakeEc2Instance AddPackerBuilder(
        string? instanceId = null,
        string template = "runs-fleet-runner-arm64",
        string state = Ec2States.Running,
        DateTimeOffset? launchTime = null,
        string instanceProfileArn = "arn:aws:iam::123456789012:instance-profile/runs-fleet-runner")
    {
        var instance = AddInstance(
            instanceId,
            state,
            launchTime,
            PackerTemplates[template],
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["Name"] = $"packer-{template}-builder",
                ["created-by"] = "runs-fleet-packer",
            });
        instance.IamInstanceProfileArn = instanceProfileArn;
        return instance;
    }

    /// <summary>
    /// When set to N, every Nth paginated DescribeInstances call (one with MaxResults) answers an
    /// empty page with a NextToken that resumes where it stood. Real EC2 may return fewer items than
    /// MaxResults, even none, with a token ("keep paging until NextToken is null"); counting calls
    /// keeps the fake deterministic. Null (the default) never does.
    /// </summary>
    public int? EmptyPageEvery
    {
        get => _emptyPageEvery;
        set
        {
            // Every call empty would never end a listing.
            ArgumentOutOfRangeException.ThrowIfLessThan(value ?? 2, 2, nameof(value));
            _emptyPageEvery = value;
        }
    }

    /// <summary>Moves transitional states on: pending->running, stopping->stopped, shutting-down->terminated.</summary>
    public void CompleteTransitions()
    {
        lock (_instances)
        {
            foreach (var instance in _instances)
            {
                instance.State = instance.State switch
                {
                    Ec2States.Pending => Ec2States.Running,
                    Ec2States.Stopping => Ec2States.Stopped,
                    Ec2States.ShuttingDown => Ec2States.Terminated,
                    var other => other,
                };
            }
        }
    }

    /// <inheritdoc />
    protected override bool UsesFormBody => true;

    /// <inheritdoc />
    protected override string? OperationOf(HttpListenerRequest request, IReadOnlyDictionary<string, string> form) =>
        form.GetValueOrDefault("Action");

    /// <inheritdoc />
    protected override FakeResponse Error(string code, string message, int? statusCode, string requestId)
    {
        var xml = new XElement(
            "Response",
            new XElement("Errors", new XElement("Error", new XElement("Code", code), new XElement("Message", message))),
            new XElement("RequestID", requestId));
        return new FakeResponse(statusCode ?? DefaultStatus(code), "text/xml;charset=UTF-8", xml.ToString(SaveOptions.DisableFormatting));
    }

    private static int DefaultStatus(string code) => code switch
    {
        "RequestLimitExceeded" or "Unavailable" or "ServiceUnavailable" => 503,
        "InternalError" or "InternalFailure" => 500,
        "UnauthorizedOperation" or "AuthFailure" => 403,
        _ => 400,
    };

    private FakeResponse DescribeInstances(FakeRequest request)
    {
        var ids = request.FormList("InstanceId");
        var maxResults = ParseMaxResults(request, ids);
        var filters = ParseFilters(request);

        // NextToken names the last instance returned (instances are never removed), so instances
        // that change state between pages (a sweep terminating them) are neither skipped nor repeated.
        List<FakeEc2Instance> page;
        string? next;
        lock (_instances)
        {
            CheckIdsExist(ids);
            var start = request.Form.TryGetValue("NextToken", out var token) ? DecodeToken(token) + 1 : 0;
            if (maxResults is not null && IsEmptyPageTurn())
            {
                return Xml(DescribeInstancesXml([], EncodeToken(start == 0 ? string.Empty : _instances[start - 1].InstanceId)));
            }

            var matching = _instances
                .Skip(start)
                .Where(i => ids.Count == 0 || ids.Contains(i.InstanceId, StringComparer.Ordinal))
                .Where(i => filters.All(f => f(i)))
                .ToList();
            page = matching.Take(maxResults ?? int.MaxValue).ToList();
            next = page.Count < matching.Count ? EncodeToken(page[^1].InstanceId) : null;
        }

        return Xml(DescribeInstancesXml(page, next));
    }

    // Counts paginated calls under the instances lock, so the Nth call is the same one every run.
    private bool IsEmptyPageTurn() => _emptyPageEvery is { } every && ++_paginatedCalls % every == 0;

    private static XElement DescribeInstancesXml(IReadOnlyList<FakeEc2Instance> page, string? next)
    {
        var reservations = page
            .GroupBy(i => i.ReservationId, StringComparer.Ordinal)
            .Select(g => new XElement(
                Ns + "item",
                new XElement(Ns + "reservationId", g.Key),
                new XElement(Ns + "ownerId", "000000000000"),
                new XElement(Ns + "groupSet"),
                new XElement(Ns + "instancesSet", g.Select(InstanceXml))));
        return new XElement(
            Ns + "DescribeInstancesResponse",
            new XElement(Ns + "requestId", Guid.NewGuid().ToString()),
            new XElement(Ns + "reservationSet", reservations),
            next is null ? null : new XElement(Ns + "nextToken", next));
    }

    private static XElement InstanceXml(FakeEc2Instance instance) => new(
        Ns + "item",
        new XElement(Ns + "instanceId", instance.InstanceId),
        new XElement(Ns + "imageId", "ami-00000000000000000"),
        StateXml("instanceState", instance.State),
        new XElement(Ns + "instanceType", instance.InstanceType),
        instance.SpotRequestId is null ? null : new XElement(Ns + "instanceLifecycle", "spot"),
        instance.SpotRequestId is null ? null : new XElement(Ns + "spotInstanceRequestId", instance.SpotRequestId),
        instance.IamInstanceProfileArn is null
            ? null
            : new XElement(
                Ns + "iamInstanceProfile",
                new XElement(Ns + "arn", instance.IamInstanceProfileArn),
                new XElement(Ns + "id", "AIPA" + instance.InstanceId.ToUpperInvariant().Replace("-", string.Empty, StringComparison.Ordinal))),
        instance.LaunchTime is { } launched
            ? new XElement(Ns + "launchTime", launched.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            : null,
        new XElement(
            Ns + "tagSet",
            instance.Tags.Select(t => new XElement(Ns + "item", new XElement(Ns + "key", t.Key), new XElement(Ns + "value", t.Value)))));

    private static XElement StateXml(string element, string state) => new(
        Ns + element,
        new XElement(Ns + "code", Ec2States.Code(state)),
        new XElement(Ns + "name", state));

    private FakeResponse ChangeStates(FakeRequest request, string responseElement, Func<FakeEc2Instance, string> change)
    {
        var ids = request.FormList("InstanceId");
        if (ids.Count == 0)
        {
            throw new FakeAwsErrorException("MissingParameter", "The request must contain the parameter InstanceId");
        }

        var items = new List<XElement>();
        lock (_instances)
        {
            CheckIdsExist(ids);
            foreach (var id in ids)
            {
                var instance = _instances.Find(i => i.InstanceId == id)!;
                var previous = instance.State;
                instance.State = change(instance);
                items.Add(new XElement(
                    Ns + "item",
                    new XElement(Ns + "instanceId", id),
                    StateXml("currentState", instance.State),
                    StateXml("previousState", previous)));
            }
        }

        return Xml(new XElement(
            Ns + responseElement,
            new XElement(Ns + "requestId", Guid.NewGuid().ToString()),
            new XElement(Ns + "instancesSet", items)));
    }

    private FakeResponse CreateTags(FakeRequest request)
    {
        var ids = request.FormList("ResourceId");
        var tags = new List<(string Key, string Value)>();
        for (var n = 1; request.Form.TryGetValue($"Tag.{n}.Key", out var key); n++)
        {
            tags.Add((key, request.Form.GetValueOrDefault($"Tag.{n}.Value") ?? string.Empty));
        }

        lock (_instances)
        {
            CheckIdsExist(ids);
            foreach (var instance in _instances.Where(i => ids.Contains(i.InstanceId, StringComparer.Ordinal)))
            {
                foreach (var (key, value) in tags)
                {
                    instance.Tags[key] = value;
                }
            }
        }

        return Xml(new XElement(
            Ns + "CreateTagsResponse",
            new XElement(Ns + "requestId", Guid.NewGuid().ToString()),
            new XElement(Ns + "return", "true")));
    }

    // Like EC2: every id must be known (else InvalidSpotInstanceRequestID.NotFound for the whole
    // call), at least one id; cancelling leaves the instance running, it only stops relaunches.
    private FakeResponse CancelSpotInstanceRequests(FakeRequest request)
    {
        var ids = request.FormList("SpotInstanceRequestId");
        if (ids.Count == 0)
        {
            throw new FakeAwsErrorException("MissingParameter", "The request must contain the parameter SpotInstanceRequestId");
        }

        lock (_instances)
        {
            var missing = ids.Where(id => !SpotRequests.ContainsKey(id)).ToList();
            if (missing.Count > 0)
            {
                throw new FakeAwsErrorException(
                    "InvalidSpotInstanceRequestID.NotFound", $"The spot instance request ID '{missing[0]}' does not exist");
            }

            foreach (var id in ids)
            {
                SpotRequests[id] = "cancelled";
            }
        }

        return Xml(new XElement(
            Ns + "CancelSpotInstanceRequestsResponse",
            new XElement(Ns + "requestId", Guid.NewGuid().ToString()),
            new XElement(
                Ns + "spotInstanceRequestSet",
                ids.Select(id => new XElement(Ns + "item", new XElement(Ns + "spotInstanceRequestId", id), new XElement(Ns + "state", "cancelled"))))));
    }

    // AWS refuses the whole TerminateInstances call for a termination-protected instance and names the
    // first one: "The instance 'i-…' may not be terminated. Modify its 'disableApiTermination' instance
    // attribute and try again." (OperationNotPermitted, HTTP 400; as reported in rebuy-de/aws-nuke#279).
    private void RefuseProtected(IReadOnlyList<string> ids)
    {
        lock (_instances)
        {
            CheckIdsExist(ids);
            var protectedId = ids.FirstOrDefault(id => _instances.Find(i => i.InstanceId == id)!.DisableApiTermination);
            if (protectedId is not null)
            {
                throw new FakeAwsErrorException(
                    "OperationNotPermitted",
                    $"The instance '{protectedId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.");
            }
        }
    }

    private static string Terminate(FakeEc2Instance instance) =>
        instance.State is Ec2States.Terminated or Ec2States.ShuttingDown ? instance.State : Ec2States.ShuttingDown;

    private static string Stop(FakeEc2Instance instance) => instance.State switch
    {
        Ec2States.Running or Ec2States.Pending => Ec2States.Stopping,
        Ec2States.Stopping or Ec2States.Stopped => instance.State,
        _ => throw new FakeAwsErrorException("IncorrectInstanceState", $"This instance '{instance.InstanceId}' is not in a state from which it can be stopped."),
    };

    // AWS rejects the whole call when any listed id is unknown.
    private void CheckIdsExist(IReadOnlyList<string> ids)
    {
        foreach (var id in ids)
        {
            if (!id.StartsWith("i-", StringComparison.Ordinal))
            {
                throw new FakeAwsErrorException("InvalidInstanceID.Malformed", $"Invalid id: \"{id}\"");
            }
        }

        var missing = ids.Where(id => !_instances.Exists(i => i.InstanceId == id)).ToList();
        if (missing.Count > 0)
        {
            var quoted = string.Join(", ", missing.Select(m => $"'{m}'"));
            var noun = missing.Count == 1 ? "ID" : "IDs";
            var verb = missing.Count == 1 ? "does" : "do";
            throw new FakeAwsErrorException("InvalidInstanceID.NotFound", $"The instance {noun} {quoted} {verb} not exist");
        }
    }

    private static int? ParseMaxResults(FakeRequest request, IReadOnlyList<string> ids)
    {
        if (!request.Form.TryGetValue("MaxResults", out var text))
        {
            return null;
        }

        if (ids.Count > 0)
        {
            throw new FakeAwsErrorException("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
        }

        var value = int.Parse(text, CultureInfo.InvariantCulture);
        if (value < 5 || value > 1000)
        {
            throw new FakeAwsErrorException("InvalidParameterValue", $"Value ( {value} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.");
        }

        return value;
    }

    private static List<Func<FakeEc2Instance, bool>> ParseFilters(FakeRequest request)
    {
        var filters = new List<Func<FakeEc2Instance, bool>>();
        for (var n = 1; request.Form.TryGetValue($"Filter.{n}.Name", out var name); n++)
        {
            var values = request.FormList($"Filter.{n}.Value");
            if (values.Count > MaxFilterValues)
            {
                throw new FakeAwsErrorException(
                    "FilterLimitExceeded", $"The maximum number of filter values specified on a single call is {MaxFilterValues}");
            }

            // Plain values compare as a set: a 10k-instance fleet checked 200 ids at a time stays fast.
            var exact = values.Where(v => v.IndexOfAny(['*', '?']) < 0).ToHashSet(StringComparer.Ordinal);
            var patterns = values.Where(v => !exact.Contains(v)).Select(Glob).ToList();
            bool Any(string? value) => value is not null && (exact.Contains(value) || patterns.Exists(p => p.IsMatch(value)));
            filters.Add(name switch
            {
                "instance-state-name" => i => Any(i.State),
                "instance-id" => i => Any(i.InstanceId),
                "instance-type" => i => Any(i.InstanceType),
                "iam-instance-profile.arn" => i => Any(i.IamInstanceProfileArn),
                "tag-key" => i => i.Tags.Keys.Any(Any),
                _ when name.StartsWith("tag:", StringComparison.Ordinal) =>
                    i => i.Tags.TryGetValue(name["tag:".Length..], out var value) && Any(value),
                _ => throw new FakeAwsErrorException("InvalidParameterValue", $"The filter '{name}' is invalid"),
            });
        }

        return filters;
    }

    // EC2 filter values accept * (any run) and ? (one character).
    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "\\z", RegexOptions.CultureInvariant);

    private static string EncodeToken(string lastInstanceId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("after:" + lastInstanceId));

    private int DecodeToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text == "after:")
            {
                return -1;
            }

            if (text.StartsWith("after:", StringComparison.Ordinal))
            {
                var index = _instances.FindIndex(i => i.InstanceId == text["after:".Length..]);
                if (index >= 0)
                {
                    return index;
                }
            }
        }
        catch (FormatException)
        {
        }

        throw new FakeAwsErrorException("InvalidParameterValue", $"Invalid value '{token}' for nextToken");
    }

    private static FakeResponse Xml(XElement body) =>
        FakeResponse.Xml(new XDeclaration("1.0", "UTF-8", null) + Environment.NewLine + body.ToString(SaveOptions.DisableFormatting));
}
