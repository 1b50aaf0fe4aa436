using RunsFleet.Hosting;
using RunsFleet.Tests.Support;
using RunsFleet.Workflows.Common;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;
using Temporalio.Testing;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>A Temporal server for the live tests, or why there is none.</summary>
/// <param name="Environment">The server; null when skipped.</param>
/// <param name="OwnedByTests">True for a dev server these tests started (nobody else uses it).</param>
/// <param name="Description">Where the server is, for the test output.</param>
/// <param name="SkipReason">Why the live tests are skipped; null when a server is there.</param>
public sealed record LiveServer(WorkflowEnvironment? Environment, bool OwnedByTests, string Description, string? SkipReason);

/// <summary>
/// Finds a Temporal server, in this order: TEMPORAL_ADDRESS (a running server, shared with
/// others), TEMPORAL_CLI_PATH (a dev server started from that CLI), or a dev server the SDK
/// downloads. Only the last may end in a skip: a server that was asked for explicitly and
/// does not work is an error, so a broken CI setting fails instead of silently skipping.
/// </summary>
public static class LiveTemporalServer
{
    public const string AddressVariable = "TEMPORAL_ADDRESS";
    public const string CliPathVariable = "TEMPORAL_CLI_PATH";

    /// <summary>
    /// Download plus start of the dev server. Without internet the SDK fails in well under a
    /// second; this only bounds a slow download.
    /// </summary>
    public static readonly TimeSpan DownloadStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Connecting to TEMPORAL_ADDRESS.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>What to set, printed with every skip.</summary>
    public const string Remedy =
        "To run them, set TEMPORAL_CLI_PATH=/path/to/temporal (a Temporal CLI, e.g. from `curl -sSf https://temporal.download/cli.sh | sh`; "
        + "the tests start `temporal server start-dev` with the RunsFleet search attributes themselves) or TEMPORAL_ADDRESS=host:7233 "
        + "(a running server; TEMPORAL_NAMESPACE/TEMPORAL_API_KEY/TLS variables are honoured, and the keyword search attributes "
        + "RunsFleetJobId, RunsFleetInstanceId, RunsFleetPool, RunsFleetSweepType are registered if missing).";

    /// <summary>Starts or connects to a server; returns a skip reason only when none can be had here.</summary>
    public static async Task<LiveServer> StartAsync()
    {
        var address = Environment.GetEnvironmentVariable(AddressVariable);
        if (!string.IsNullOrWhiteSpace(address))
        {
            return await ConnectAsync(address);
        }

        var cliPath = Environment.GetEnvironmentVariable(CliPathVariable);
        if (!string.IsNullOrWhiteSpace(cliPath))
        {
            if (!File.Exists(cliPath))
            {
                throw new InvalidOperationException($"{CliPathVariable}={cliPath} does not exist.");
            }

            var environment = await WorkflowEnvironment.StartLocalAsync(DevServer(cliPath));
            return new LiveServer(environment, true, $"dev server from {cliPath}", null);
        }

        return await TryDownloadedDevServerAsync();
    }

    /// <summary>Dev server options: a free loopback port and the RunsFleet search attributes registered on start.</summary>
    public static WorkflowEnvironmentStartLocalOptions DevServer(string? cliPath) => new()
    {
        TargetHost = $"127.0.0.1:{LoopbackPorts.GetFree()}",
        Namespace = "default",
        SearchAttributes = RunsFleetSearchAttributes.All,
        DevServerOptions = new DevServerOptions { ExistingPath = cliPath, LogLevel = "warn" },
    };

    private static async Task<LiveServer> ConnectAsync(string address)
    {
        var reader = EnvironmentSettingsReader.FromProcess();
        var connect = TemporalConnectionSettings.Load(reader);
        reader.ThrowIfInvalid("RunsFleet live tests");
        var client = await TemporalClient.ConnectAsync(connect).WaitAsync(ConnectTimeout);
        await RegisterSearchAttributesAsync(client, connect.Namespace);
        return new LiveServer(new WorkflowEnvironment(client), false, $"server at {address} (namespace {connect.Namespace})", null);
    }

    private static async Task<LiveServer> TryDownloadedDevServerAsync()
    {
        var start = WorkflowEnvironment.StartLocalAsync(DevServer(null));
        try
        {
            var environment = await start.WaitAsync(DownloadStartTimeout);
            return new LiveServer(environment, true, "dev server downloaded by the SDK", null);
        }
        catch (TimeoutException)
        {
            // The start goes on in the background; whatever it starts must not outlive the tests.
            _ = start.ContinueWith(
                t => t.Result.DisposeAsync().AsTask(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default).Unwrap();
            return Skipped($"{AddressVariable} and {CliPathVariable} are unset and downloading a dev server took longer than {DownloadStartTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.Net.Http.HttpRequestException or TemporalException)
        {
            return Skipped($"{AddressVariable} and {CliPathVariable} are unset and the SDK could not download a dev server ({FirstLine(e.Message)}).");
        }
    }

    private static LiveServer Skipped(string cause) =>
        new(null, false, "none", $"No Temporal server for the live end-to-end tests: {cause} {Remedy}");

    // One key per call: the server refuses a whole request when any key in it already exists.
    private static async Task RegisterSearchAttributesAsync(TemporalClient client, string ns)
    {
        var added = false;
        foreach (var key in RunsFleetSearchAttributes.All)
        {
            var request = new AddSearchAttributesRequest { Namespace = ns };
            request.SearchAttributes[key.Name] = IndexedValueType.Keyword;
            try
            {
                await client.Connection.OperatorService.AddSearchAttributesAsync(request);
                added = true;
            }
            catch (RpcException e) when (e.Code == RpcException.StatusCode.AlreadyExists)
            {
                // Registered before (by an earlier run or the deployment).
            }
            catch (RpcException e) when (e.Code is RpcException.StatusCode.PermissionDenied or RpcException.StatusCode.Unimplemented)
            {
                // Temporal Cloud registers them through its own API; if they are missing, the
                // first start names the unknown attribute.
                return;
            }
        }

        if (added)
        {
            await WaitUntilListedAsync(client, ns);
        }
    }

    // A start that names an attribute the namespace does not list yet is refused; the bridge
    // would then spend receives on it. Bounded: a slow server is no reason to hang the tests.
    private static async Task WaitUntilListedAsync(TemporalClient client, string ns)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var listed = await client.Connection.OperatorService.ListSearchAttributesAsync(new ListSearchAttributesRequest { Namespace = ns });
            if (RunsFleetSearchAttributes.All.All(k => listed.CustomAttributes.ContainsKey(k.Name)))
            {
                return;
            }

            await Task.Delay(250);
        }
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
