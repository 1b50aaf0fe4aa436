using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.SupportTests;

public sealed class EmulatorProcessTests
{
    [Fact]
    public async Task Process_that_exits_early_fails_with_its_output_tail()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EmulatorProcess.StartAsync(
            "crasher",
            _ => new EmulatorLaunch(["-e", "console.error('crash-marker-17'); process.exit(3)"]),
            TimeSpan.FromSeconds(10)));

        Assert.Contains("crash-marker-17", error.Message, StringComparison.Ordinal);
        Assert.Contains("crasher", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_that_never_listens_times_out_with_its_output_tail()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EmulatorProcess.StartAsync(
            "sleeper",
            _ => new EmulatorLaunch(["-e", "console.log('sleeper-marker'); setTimeout(() => {}, 60000)"]),
            TimeSpan.FromSeconds(4))); // long enough for node to print even on a busy machine

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.Contains("sleeper-marker", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_stops_the_emulator_and_frees_its_port()
    {
        var server = await EmulatorProcess.StartAsync(
            "echo-server",
            port => new EmulatorLaunch(["-e", $"require('net').createServer(s => s.end()).listen({port}, '127.0.0.1')"]));
        var answeredWhileRunning = await LoopbackPorts.AnswersAsync(server.Port);

        await server.DisposeAsync();

        Assert.True(answeredWhileRunning);
        Assert.False(server.IsRunning);
        Assert.False(await LoopbackPorts.AnswersAsync(server.Port));
    }

    [Fact]
    public async Task Emulator_exits_by_itself_when_its_stdin_closes()
    {
        await using var server = await EmulatorProcess.StartAsync(
            "orphan-candidate",
            port => new EmulatorLaunch(["-e", $"require('net').createServer(s => s.end()).listen({port}, '127.0.0.1')"]));

        // What the emulator sees when the test process dies without disposing it.
        server.CloseStandardInput();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.IsRunning && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.False(server.IsRunning);
    }
}
