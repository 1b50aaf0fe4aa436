using RunsFleet.Worker.Configuration;

namespace RunsFleet.Worker;

internal static class Program
{
    public static Task<int> Main(string[] args) =>
        WorkerApp.RunAsync(args, WorkerSettingsLoader.ProcessEnvironment(), Console.Out, Console.Error, CancellationToken.None);
}
