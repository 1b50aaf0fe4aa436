namespace RunsFleet.SqsBridge.Contracts;

/// <summary>The parsers' last resort: an exception nobody foresaw becomes an
/// <see cref="RejectionCode.Unreadable"/> rejection. An exception escaping a parser would
/// look like "Temporal unreachable" to the pump (which then pauses the whole queue); a
/// rejection sends just this message the dead-letter way, where a person can look at it.</summary>
internal static class ParserGuard
{
    /// <summary>Runs <paramref name="parse"/>; any exception it throws is returned as a rejection.</summary>
    public static ParseResult<T> Run<T>(Func<ParseResult<T>> parse)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse();
        }
        catch (Exception ex)
        {
            return ParseResult.Reject<T>(
                RejectionCode.Unreadable, null,
                    $"the message could not be read ({ex.GetType().Name}: {JsonFields.Truncate(ex.Message)})");
        }
    }
}
