using Microsoft.Extensions.Logging.Testing;
using RunsFleet.Contracts.JobTermination;
using RunsFleet.Hosting;
using RunsFleet.SqsBridge.Configuration;
using RunsFleet.SqsBridge.Starting;
using RunsFleet.Workflows.Common;
using Temporalio.Api.Enums.V1;
using Temporalio.Api.OperatorService.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace RunsFleet.Tests.SqsBridge.Starting;

/// <summary>
/// TemporalWorkflowStarter against a real server (TEMPORAL_ADDRESS). Skipped here; the same
/// duplicate semantics are covered offline by the fauxqs tests through RecordingWorkflowStarter.
/// No worker is needed: the test only starts, inspects and terminates runs.
/// </summary>
public sealed class TemporalWorkflowStarterLiveTests
{
    [SkippableFact]
    public async Task Same_termination_twice_is_started_then_already_started_and_a_sweep_trigger_joins_the_running_one()
    {
        Skip.If(string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS")),
            "needs a Temporal server: set TEMPORAL_ADDRESS (e.g. `temporal server start-dev` on localhost:7233)");
        var connect = TemporalConnectionSettings.Load(EnvironmentSettingsReader.FromProcess());
        var client = await TemporalClient.ConnectAsync(connect);
        await RegisterSearchAttributesAsync(client, connect.Namespace);
        var taskQueue = "bridge-live-test-" + Guid.NewGuid().ToString("N")[..8];
        var starter = new TemporalWorkflowStarter(client, new BridgeOptions { TerminationQueueUrl = "http://unused/q", TaskQueue = taskQueue }, new FakeLogger<TemporalWorkflowStarter>());

        var input = new JobTerminationInput
        {
            InstanceId = "i-0123abcd",
            JobId = Random.Shared.NextInt64(1, long.MaxValue),
            Status = JobEndStatus.Success,
            ExitCode = 0,
            DurationSeconds = 1,
            StartedAt = null,
            CompletedAt = null,
            Error = null,
            InterruptedBy = null,
            SqsMessageId = "live-test",
        };
        var termination = new WorkflowStartRequest(JobTerminationIds.WorkflowType, JobTerminationIds.For(input), input,
            new Dictionary<string, string> { [RunsFleetSearchAttributes.InstanceId.Name] = input.InstanceId }, StartMode.OncePerId);
        var sweepType = "BridgeLiveTestSweep" + Guid.NewGuid().ToString("N")[..8];
        var sweep = new WorkflowStartRequest(sweepType, "sweep-live-" + sweepType, new { DryRun = true },
            new Dictionary<string, string> { [RunsFleetSearchAttributes.SweepType.Name] = "live_test" }, StartMode.JoinRunning);
        try
        {
            var first = await starter.StartAsync(termination, CancellationToken.None);
            var second = await starter.StartAsync(termination, CancellationToken.None);
            var sweepFirst = await starter.StartAsync(sweep, CancellationToken.None);
            var sweepSecond = await starter.StartAsync(sweep, CancellationToken.None);

            Assert.True(await starter.IsReachableAsync(CancellationToken.None));
            Assert.Equal(StartStatus.Started, first.Status);
            Assert.Equal(StartStatus.AlreadyStarted, second.Status);
            Assert.Equal(first.WorkflowId, second.WorkflowId);
            Assert.Equal(StartStatus.Started, sweepFirst.Status);
            Assert.Equal(StartStatus.JoinedRunning, sweepSecond.Status);
            Assert.Equal(sweep.WorkflowId, sweepSecond.WorkflowId);
        }
        finally
        {
            await TerminateQuietlyAsync(client, termination.WorkflowId);
            await TerminateQuietlyAsync(client, sweep.WorkflowId);
        }
    }

    private static async Task RegisterSearchAttributesAsync(TemporalClient client, string ns)
    {
        var request = new AddSearchAttributesRequest { Namespace = ns };
        foreach (var key in RunsFleetSearchAttributes.All)
        {
            request.SearchAttributes[key.Name] = IndexedValueType.Keyword;
        }

        try
        {
            await client.Connection.OperatorService.AddSearchAttributesAsync(request);
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.AlreadyExists)
        {
            // Registered by an earlier run.
        }
    }

    private static async Task TerminateQuietlyAsync(TemporalClient client, string workflowId)
    {
        try
        {
            await client.GetWorkflowHandle(workflowId).TerminateAsync("bridge live test clean-up");
        }
        catch (RpcException)
        {
            // Already gone.
        }
    }
}
