using RunsFleet.Tests.Support;
using Temporalio.Testing;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>
/// Shared by the live test class: one Temporal server (see <see cref="LiveTemporalServer"/>)
/// and, only when there is one, dynalite and fauxqs. Never throws from start-up: a missing
/// server becomes <see cref="SkipReason"/> and any other start-up error is kept and rethrown
/// by <see cref="Environment"/>, so each test reports it (a fixture that throws would hide the
/// skip reason behind a fixture failure).
/// </summary>
public sealed class LiveSystemFixture : IAsyncLifetime
{
    private LiveServer? _server;
    private Exception? _startupFailure;

    /// <summary>Why the live tests are skipped here; null when a server is available.</summary>
    public string? SkipReason => _server?.SkipReason;

    /// <summary>True when the tests started the server themselves (nothing else runs on it).</summary>
    public bool OwnsServer => _server?.OwnedByTests ?? false;

    /// <summary>Where the server is.</summary>
    public string ServerDescription => _server?.Description ?? "none";

    public DynaliteFixture Dynalite { get; } = new();

    public FauxqsFixture Fauxqs { get; } = new();

    /// <summary>The server; throws the start-up failure when there was one.</summary>
    public WorkflowEnvironment Environment =>
        _startupFailure is null && _server?.Environment is { } environment
            ? environment
            : throw new InvalidOperationException($"The live test fixture could not start: {_startupFailure?.Message}", _startupFailure);

    public async Task InitializeAsync()
    {
        try
        {
            _server = await LiveTemporalServer.StartAsync();
            if (_server.Environment is not null)
            {
                // Emulators only when the tests will run: a skip stays instant.
                await Task.WhenAll(Dynalite.InitializeAsync(), Fauxqs.InitializeAsync());
            }
        }
        catch (Exception e)
        {
            _startupFailure = e;
        }
    }

    public async Task DisposeAsync()
    {
        await Dynalite.DisposeAsync();
        await Fauxqs.DisposeAsync();
        if (_server?.Environment is { } environment)
        {
            // Stops a dev server the tests started; only drops the connection to a shared one.
            await environment.DisposeAsync();
        }
    }
}
