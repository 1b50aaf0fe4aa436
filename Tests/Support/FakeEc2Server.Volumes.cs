using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace RunsFleet.Tests.Support;

/// <summary>
/// DescribeVolumes over the instances' <see cref="FakeEc2Instance.Volumes"/>, with EC2's limits: filters
/// attachment.instance-id, volume-id, volume-type (at most <see cref="MaxFilterValues"/> values each,
/// FilterLimitExceeded above), VolumeId.N (an unknown id -> InvalidVolume.NotFound), MaxResults 5..500
/// (InvalidParameterValue outside; not combinable with VolumeId.N) with NextToken. Volumes of terminated
/// instances are gone (runs-fleet's root volumes are DeleteOnTermination). Every call is counted, so tests
/// check DescribeVolumes request counts with <see cref="LoopbackAwsServer.Count"/>.
/// </summary>
public sealed partial class FakeEc2Server
{
    /// <summary>Largest DescribeVolumes page (MaxResults 5-500).</summary>
    public const int MaxVolumeResults = 500;

    private FakeResponse DescribeVolumes(FakeRequest request)
    {
        var ids = request.FormList("VolumeId");
        var maxResults = ParseVolumeMaxResults(request, ids);
        var filters = ParseVolumeFilters(request);
        List<(FakeEc2Instance Instance, FakeEc2Volume Volume)> page;
        string? next;
        lock (_instances)
        {
            var all = _instances
                .Where(i => i.State != Ec2States.Terminated)
                .SelectMany(i => i.Volumes.Select(v => (Instance: i, Volume: v)))
                .ToList();
            var missing = ids.Where(id => !all.Exists(a => a.Volume.VolumeId == id)).ToList();
            if (missing.Count > 0)
            {
                throw new FakeAwsErrorException("InvalidVolume.NotFound", $"The volume '{missing[0]}' does not exist.");
            }

            var start = request.Form.TryGetValue("NextToken", out var token) ? VolumeTokenStart(all, token) : 0;
            var matching = all
                .Skip(start)
                .Where(a => ids.Count == 0 || ids.Contains(a.Volume.VolumeId, StringComparer.Ordinal))
                .Where(a => filters.All(f => f(a.Instance, a.Volume)))
                .ToList();
            page = matching.Take(maxResults ?? int.MaxValue).ToList();
            next = page.Count < matching.Count ? VolumeToken(page[^1].Volume.VolumeId) : null;
        }

        return Xml(new XElement(
            Ns + "DescribeVolumesResponse",
            new XElement(Ns + "requestId", Guid.NewGuid().ToString()),
            new XElement(Ns + "volumeSet", page.Select(a => VolumeXml(a.Instance, a.Volume))),
            next is null ? null : new XElement(Ns + "nextToken", next)));
    }

    private static XElement VolumeXml(FakeEc2Instance instance, FakeEc2Volume volume) => new(
        Ns + "item",
        new XElement(Ns + "volumeId", volume.VolumeId),
        new XElement(Ns + "size", volume.SizeGiB.ToString(CultureInfo.InvariantCulture)),
        new XElement(Ns + "availabilityZone", "us-east-1a"),
        new XElement(Ns + "status", "in-use"),
        new XElement(
            Ns + "attachmentSet",
            new XElement(
                Ns + "item",
                new XElement(Ns + "volumeId", volume.VolumeId),
                new XElement(Ns + "instanceId", instance.InstanceId),
                new XElement(Ns + "device", volume.Device),
                new XElement(Ns + "status", "attached"),
                new XElement(Ns + "deleteOnTermination", "true"))),
        new XElement(Ns + "volumeType", volume.VolumeType),
        new XElement(Ns + "encrypted", "true"));

    private static int? ParseVolumeMaxResults(FakeRequest request, IReadOnlyList<string> ids)
    {
        if (!request.Form.TryGetValue("MaxResults", out var text))
        {
            return null;
        }

        if (ids.Count > 0)
        {
            throw new FakeAwsErrorException(
                "InvalidParameterCombination", "The parameter volumeSet cannot be used with the parameter maxResults");
        }

        var value = int.Parse(text, CultureInfo.InvariantCulture);
        if (value < 5 || value > MaxVolumeResults)
        {
            throw new FakeAwsErrorException(
                "InvalidParameterValue",
                $"Value ( {value} ) for parameter maxResults is invalid. Expecting a value between 5 and {MaxVolumeResults}.");
        }

        return value;
    }

    private static List<Func<FakeEc2Instance, FakeEc2Volume, bool>> ParseVolumeFilters(FakeRequest request)
    {
        var filters = new List<Func<FakeEc2Instance, FakeEc2Volume, bool>>();
        for (var n = 1; request.Form.TryGetValue($"Filter.{n}.Name", out var name); n++)
        {
            var values = request.FormList($"Filter.{n}.Value");
            if (values.Count > MaxFilterValues)
            {
                throw new FakeAwsErrorException(
                    "FilterLimitExceeded", $"The maximum number of filter values specified on a single call is {MaxFilterValues}");
            }

            var exact = values.ToHashSet(StringComparer.Ordinal);
            filters.Add(name switch
            {
                "attachment.instance-id" => (i, _) => exact.Contains(i.InstanceId),
                "volume-id" => (_, v) => exact.Contains(v.VolumeId),
                "volume-type" => (_, v) => exact.Contains(v.VolumeType),
                _ => throw new FakeAwsErrorException("InvalidParameterValue", $"The filter '{name}' is invalid"),
            });
        }

        return filters;
    }

    private static string VolumeToken(string lastVolumeId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("after-volume:" + lastVolumeId));

    private static int VolumeTokenStart(List<(FakeEc2Instance Instance, FakeEc2Volume Volume)> all, string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("after-volume:", StringComparison.Ordinal))
            {
                var index = all.FindIndex(a => a.Volume.VolumeId == text["after-volume:".Length..]);
                if (index >= 0)
                {
                    return index + 1;
                }
            }
        }
        catch (FormatException)
        {
        }

        throw new FakeAwsErrorException("InvalidParameterValue", $"Invalid value '{token}' for nextToken");
    }
}
