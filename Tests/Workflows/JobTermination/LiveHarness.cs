using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Hosting;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Tests.Support;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.Workflows.JobTermination;

/// <summary>The bridge host and the bounded waits the live tests share.</summary>
public static class LiveHarness
{
    /// <summary>Upper bound of one live test's waits.</summary>
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(45);

    /// <summary>A task queue nobody else polls, so a shared server's real workers never see test runs.</summary>
    public static string UniqueTaskQueue() => $"runs-fleet-live-{Guid.NewGuid():N}";

    /// <summary>Bridge settings with test timings (1 s long poll, short backoffs) on <paramref name="taskQueue"/>.</summary>
    public static BridgeOptions BridgeOptions(string taskQueue, string terminationQueueUrl, string? housekeepingQueueUrl = null) => new()
    {
        TerminationQueueUrl = terminationQueueUrl,
        HousekeepingQueueUrl = housekeepingQueueUrl,
        TaskQueue = taskQueue,
        ReceiveWaitSeconds = 1,
        BackoffInitial = TimeSpan.FromMilliseconds(100),
        BackoffMax = TimeSpan.FromSeconds(1),
        ShutdownGrace = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// The production bridge composition (<see cref="SqsBridgeServiceCollectionExtensions.AddSqsBridge"/>:
    /// one pump per queue with its handler) in a generic host, starting through
    /// <paramref name="starter"/> (a <see cref="RecordingStarter"/> over the real
    /// <see cref="TemporalWorkflowStarter"/>). Started; stop it with <see cref="StopAsync"/>.
    /// </summary>
    public static async Task<IHost> StartBridgeAsync(IAmazonSQS sqs, BridgeOptions options, IWorkflowStarter starter, LogCapture logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new FakeLoggerProvider(logs.Collector));
        builder.Services.AddSingleton(sqs);
        builder.Services.AddSingleton(starter);
        builder.Services.AddSqsBridge(options);
        var host = builder.Build();
        using var timeout = new CancellationTokenSource(TestTimeout);
        await host.StartAsync(timeout.Token);
        return host;
    }

    /// <summary>The real Temporal starter on <paramref name="client"/>, recorded.</summary>
    public static RecordingStarter RealStarter(ITemporalClient client, BridgeOptions options, LogCapture logs) =>
        new(new TemporalWorkflowStarter(client, options, logs.Logger<TemporalWorkflowStarter>()));

    /// <summary>Stops the bridge within its grace period and disposes it.</summary>
    public static async Task StopAsync(IHost host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>Waits until the server knows <paramref name="workflowId"/> (the bridge has started it).</summary>
    public static async Task<WorkflowHandle> WaitForWorkflowAsync(ITemporalClient client, string workflowId, TimeSpan? timeout = null)
    {
        var handle = client.GetWorkflowHandle(workflowId);
        var deadline = DateTime.UtcNow + (timeout ?? TestTimeout);
        while (true)
        {
            try
            {
                await handle.DescribeAsync();
                return handle;
            }
            catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>The run's result, waiting at most <see cref="TestTimeout"/>.</summary>
    public static async Task<TResult> ResultAsync<TResult>(WorkflowHandle handle)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        return await handle.GetResultAsync<TResult>(rpcOptions: new RpcOptions { CancellationToken = timeout.Token });
    }

    /// <summary>
    /// Every execution visibility lists for <paramref name="query"/>, polled until
    /// <paramref name="settled"/> holds (visibility trails the run by up to a few seconds) or
    /// 15 s have passed; returns the last listing either way, for the assertions.
    /// </summary>
    public static async Task<List<WorkflowExecution>> ListAsync(ITemporalClient client, string query, Func<List<WorkflowExecution>, bool> settled)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var executions = new List<WorkflowExecution>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await foreach (var execution in client.ListWorkflowsAsync(query, new WorkflowListOptions { Rpc = new RpcOptions { CancellationToken = timeout.Token } }))
            {
                executions.Add(execution);
            }

            if (settled(executions) || DateTime.UtcNow > deadline)
            {
                return executions;
            }

            await Task.Delay(250);
        }
    }

    /// <summary>True when every listed execution has finished successfully.</summary>
    public static bool AllCompleted(List<WorkflowExecution> executions) =>
        executions.Count > 0 && executions.All(e => e.Status == WorkflowExecutionStatus.Completed);

    /// <summary>Ends a run a failed test left behind (a no-op when it already finished or never started).</summary>
    public static async Task TerminateIfRunningAsync(ITemporalClient client, string workflowId)
    {
        try
        {
            await client.GetWorkflowHandle(workflowId).TerminateAsync("RunsFleet live test clean-up");
        }
        catch (RpcException)
        {
            // Finished or never started (NotFound); clean-up must never hide the test's own outcome.
        }
    }
}
