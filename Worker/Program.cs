using RunsFleet.Hosting;

namespace RunsFleet.Worker;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await WorkerApp.RunAsync(args, EnvironmentSettingsReader.ProcessEnvironment(), Console.Out,
                Console.Error, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Anything unforeseen still ends with one readable line and a failure code.
            await Console.Error.WriteLineAsync($"RunsFleet worker failed: {e}");
            return ExitCodes.Failure;
        }
    }
}
