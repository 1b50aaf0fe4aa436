namespace RunsFleet.Tests.Support;

/// <summary>Parses application/x-www-form-urlencoded bodies (the EC2 query protocol).</summary>
public static class FormEncoding
{
    /// <summary>"a=1&amp;b=x%3Ay" -> {a: "1", b: "x:y"}; '+' means a space.</summary>
    public static Dictionary<string, string> Parse(string body)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            fields[Decode(key)] = Decode(value);
        }

        return fields;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
