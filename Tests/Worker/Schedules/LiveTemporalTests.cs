using Microsoft.Extensions.Logging.Abstractions;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Hosting;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Dev;
using RunsFleet.Worker.Registration;
using RunsFleet.Worker.Schedules;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Testing;
using Xunit.Abstractions;

namespace RunsFleet.Tests.Worker.Schedules;

/// <summary>
/// The worker against a real Temporal server: a dev server from TEMPORAL_CLI_PATH, or the
/// server at TEMPORAL_ADDRESS. Skipped (with the reason printed) where neither exists; the
/// same behaviour is covered offline by ScheduleApplierTests with the proto round-trip store.
/// </summary>
public sealed class LiveTemporalTests
{
    private readonly ITestOutputHelper _output;

    public LiveTemporalTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [SkippableFact]
    public async Task Schedules_apply_against_a_real_server_and_a_second_apply_changes_nothing()
    {
        var cliPath = Environment.GetEnvironmentVariable("TEMPORAL_CLI_PATH");
        var address = Environment.GetEnvironmentVariable("TEMPORAL_ADDRESS");
        Skip.If(
            string.IsNullOrWhiteSpace(cliPath) && string.IsNullOrWhiteSpace(address),
            "no Temporal server: set TEMPORAL_CLI_PATH (a temporal CLI to start a dev server) or TEMPORAL_ADDRESS (a running server) to run it");

        await using var environment = string.IsNullOrWhiteSpace(cliPath)
            ? new WorkflowEnvironment(await TemporalClient.ConnectAsync(WorkerSettingsLoader.Load(EnvironmentSettingsReader.ProcessEnvironment(), WorkerRegistration.OptionsBindings).Temporal))
            : await WorkflowEnvironment.StartLocalAsync(DevMode.StartOptions(new DevServerSettings(cliPath, FreePort(), FreePort())));
        // A task queue of its own so a shared server's real schedules are not touched.
        var settings = new SweepScheduleSettings { TaskQueue = $"runs-fleet-live-{Guid.NewGuid():N}" };
        var definitions = SweepSchedules.All(settings)
            .Select(d => d with { ScheduleId = $"{d.ScheduleId}-live-{Guid.NewGuid():N}" })
            .ToList();
        var applier = new ScheduleApplier(new TemporalScheduleStore(environment.Client), NullLogger<ScheduleApplier>.Instance);
        try
        {
            var first = await applier.ApplyAsync(definitions, CancellationToken.None);
            var second = await applier.ApplyAsync(definitions, CancellationToken.None);

            Assert.All(first, r => Assert.Equal(ScheduleChange.Created, r.Change));
            Assert.All(second, r => Assert.Equal(ScheduleChange.Unchanged, r.Change));
            foreach (var definition in definitions)
            {
                var description = await environment.Client.GetScheduleHandle(definition.ScheduleId).DescribeAsync();
                _output.WriteLine($"{definition.ScheduleId}: next {string.Join(", ", description.Info.NextActionTimes.Take(2))}");
                Assert.Equal(ScheduleOverlapPolicy.Skip, description.Schedule.Policy.Overlap);
                var action = Assert.IsType<ScheduleActionStartWorkflow>(description.Schedule.Action);
                Assert.Equal(SweepNames.WorkflowType(definition.Kind), action.Workflow);
                Assert.Equal(settings.TaskQueue, action.Options.TaskQueue);
            }

            var oldJobs = await environment.Client.GetScheduleHandle(definitions.Single(d => d.Kind == SweepKind.JobArchive).ScheduleId).DescribeAsync();
            Assert.All(oldJobs.Info.NextActionTimes, t => Assert.Equal(new TimeSpan(2, 0, 0), t.ToUniversalTime().TimeOfDay));
            var orphans = await environment.Client.GetScheduleHandle(definitions.Single(d => d.Kind == SweepKind.StrayInstances).ScheduleId).DescribeAsync();
            var times = orphans.Info.NextActionTimes.ToList();
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(15), pair.Second - pair.First));
        }
        finally
        {
            foreach (var definition in definitions)
            {
                try
                {
                    await environment.Client.GetScheduleHandle(definition.ScheduleId).DeleteAsync();
                }
                catch (Temporalio.Exceptions.RpcException)
                {
                    // Never created: the assertion above already failed.
                }
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
