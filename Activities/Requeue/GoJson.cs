using System.Globalization;
using System.Text;

namespace RunsFleet.Activities.Requeue;

/// <summary>JSON string text exactly as Go's encoding/json (v1) Marshal writes it, so a message this
/// project sends is byte for byte what runs-fleet's own SendMessage would have sent (go.mod:
/// go 1.25, toolchain 1.26). Go escapes " and \, writes \b \f \n \r \t short, every other control
/// character and the HTML characters &lt; &gt; &amp; as \u00xx (lower-case hex), and U+2028 and U+2029
/// as \u2028 and \u2029; everything else, non-ASCII included, is written as is.</summary>
public static class GoJson
{
    /// <summary>Appends <paramref name="value"/> as a quoted JSON string.</summary>
    public static void AppendString(StringBuilder builder, string value)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(value);
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case < ' ' or '<' or '>' or '&' or '\u2028' or '\u2029':
                    builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        builder.Append('"');
    }

    /// <summary>Appends <c>"name":</c>.</summary>
    public static void AppendName(StringBuilder builder, string name)
    {
        AppendString(builder, name);
        builder.Append(':');
    }
}
