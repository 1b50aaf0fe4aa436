using System.Globalization;
using System.Text.RegularExpressions;

namespace RunsFleet.SqsBridge.Contracts;

/// <summary>RFC 3339 date-times as Go's <c>time.Time</c> writes them: any number of fractional digits
/// (Go: 0 to 9, trailing zeros dropped), <c>Z</c> or a numeric offset, <c>T</c>/<c>Z</c> in
/// either case. .NET holds 7 fractional digits (100 ns ticks): the rest are cut off, never
/// rounded, so the mapping is monotonic and a completion can never land before its start.
/// Go's zero time (<c>0001-01-01T00:00:00Z</c>, the value of an unset field) is recognised so
/// callers can treat it as absent.</summary>
internal static partial class Rfc3339
{
    private const int TickDigits = 7;

    /// <summary>Reads <paramref name="text"/>; false when it is not an RFC 3339 date-time .NET can hold (offsets up to
    /// ±14:00).</summary>
    /// <param name="text">The field's text.</param>
    /// <param name="timestamp">The instant, with the first 7 fractional digits.</param>
    /// <param name="isGoZeroTime">True for the instant 0001-01-01T00:00:00Z written with only zero digits.</param>
    public static bool TryParse(string text, out DateTimeOffset timestamp, out bool isGoZeroTime)
    {
        timestamp = default;
        isGoZeroTime = false;
        var match = Shape().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var fraction = match.Groups["fraction"].Value;
        var ticksFraction = fraction.Length >= TickDigits ? fraction[..TickDigits] : fraction.PadRight(TickDigits, '0');
        var offset = match.Groups["offset"].Value;
        var normalized = string.Concat(
            match.Groups["date"].Value,
            "T",
            match.Groups["time"].Value,
            ".",
            ticksFraction,
            offset is "Z" or "z" ? "+00:00" : offset);
        if (!DateTimeOffset.TryParseExact(normalized, "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture,
            DateTimeStyles.None, out timestamp))
        {
            return false;
        }

        isGoZeroTime = timestamp.UtcTicks == 0 && fraction.All(c => c == '0');
        return true;
    }

    [GeneratedRegex(
        @"^(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[Tt](?<time>[0-9]{2}:[0-9]{2}:[0-9]{2})"
            + @"(?:\.(?<fraction>[0-9]+))?(?<offset>[Zz]|[+-][0-9]{2}:[0-9]{2})\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
