namespace RunsFleet.SqsBridge.Pump;

/// <summary>The bridge refuses to start (e.g. a queue without a dead-letter queue).</summary>
internal sealed class BridgeStartupException : Exception
{
    public BridgeStartupException()
    {
    }

    public BridgeStartupException(string message)
        : base(message)
    {
    }

    public BridgeStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
