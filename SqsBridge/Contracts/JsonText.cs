using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RunsFleet.SqsBridge.Contracts;

/// <summary>Reads JSON string values that <see cref="JsonElement.GetString"/> refuses. JSON allows an
/// escape such as <c>"\ud83d"</c> (half of a UTF-16 surrogate pair) that is not text; .NET
/// throws on it. The parsers decide per field: identifiers, enums and timestamps reject such
/// a value (<see cref="RejectionCode.InvalidText"/>); free text keeps the rest of the value
/// with each lone surrogate replaced by U+FFFD.</summary>
internal static class JsonText
{
    /// <summary>The string, or null when it holds a lone surrogate escape.</summary>
    public static string? TryGetStrict(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The string with each lone surrogate replaced by U+FFFD; <paramref name="replaced"/> says whether any
    /// was.</summary>
    public static string GetLenient(JsonElement value, out bool replaced)
    {
        replaced = false;
        var strict = TryGetStrict(value);
        if (strict is not null)
        {
            return strict;
        }

        replaced = true;
        return ReplaceLoneSurrogates(Unescape(value.GetRawText()));
    }

    // The raw text of a string value is a JSON string literal the document already validated:
    // quotes around it and only the escapes JSON defines inside.
    private static string Unescape(string literal)
    {
        var text = new StringBuilder(literal.Length);
        for (var i = 1; i < literal.Length - 1; i++)
        {
            var c = literal[i];
            if (c != '\\')
            {
                text.Append(c);
                continue;
            }

            var escape = literal[++i];
            if (escape == 'u')
            {
                text.Append((char)int.Parse(literal.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier,
                    CultureInfo.InvariantCulture));
                i += 4;
                continue;
            }

            // \" \\ \/ stand for themselves.
            text.Append(escape switch { 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => escape });
        }

        return text.ToString();
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
