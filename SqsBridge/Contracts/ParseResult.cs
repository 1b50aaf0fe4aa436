namespace RunsFleet.SqsBridge.Contracts;

/// <summary>A parsed message: either accepted with its value, or rejected with every problem found.</summary>
public sealed class ParseResult<T>
    where T : class
{
    internal ParseResult(T? value, IReadOnlyList<MessageRejection> problems)
    {
        Value = value;
        Problems = problems;
    }

    /// <summary>The accepted value; null when rejected.</summary>
    public T? Value { get; }

    /// <summary>Every problem found (empty when accepted).</summary>
    public IReadOnlyList<MessageRejection> Problems { get; }

    public bool IsAccepted => Value is not null;

    /// <summary>All problems in one line, for the log.</summary>
    public string Reason => string.Join("; ", Problems.Select(p => p.ToString()));
}

/// <summary>Factory of <see cref="ParseResult{T}"/>.</summary>
public static class ParseResult
{
    public static ParseResult<T> Accept<T>(T value)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        return new ParseResult<T>(value, []);
    }

    public static ParseResult<T> Reject<T>(IReadOnlyList<MessageRejection> problems)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            throw new ArgumentException("a rejection needs at least one problem", nameof(problems));
        }

        return new ParseResult<T>(null, problems);
    }

    public static ParseResult<T> Reject<T>(RejectionCode code, string? field, string reason)
        where T : class => Reject<T>([new MessageRejection(code, field, reason)]);
}
