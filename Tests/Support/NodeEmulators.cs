using System.Diagnostics;

namespace RunsFleet.Tests.Support;

/// <summary>
/// Makes sure the npm emulators of Tests/Emulators are Installed before one is started.
/// Several test classes (and test processes) may start emulators at once, so the install
/// runs under a cross-process file lock and only when something is missing.
/// </summary>
public static class NodeEmulators
{
    private static readonly SemaphoreSlim InProcessGate = new(1, 1);
    private static volatile bool Installed;

    /// <summary>Files that exist once `npm ci` has run; paths relative to Tests/Emulators.</summary>
    public static readonly IReadOnlyList<string> RequiredFiles =
    [
        Path.Combine("node_modules", "dynalite", "cli.js"),
        Path.Combine("node_modules", "fauxqs", "dist", "cli.js"),
    ];

    /// <summary>Absolute path of the `node` executable; throws a clear error when Node is not Installed.</summary>
    public static string NodeExecutable => FindOnPath("node")
        ?? throw new InvalidOperationException(
            "Node.js is required by the emulator-backed tests (dynalite, fauxqs) but `node` is not on PATH. Install Node 20+.");

    /// <summary>Runs `npm ci --no-audit --no-fund` in Tests/Emulators unless node_modules is already complete.</summary>
    public static async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        if (Installed)
        {
            return;
        }

        await InProcessGate.WaitAsync(cancellationToken);
        try
        {
            if (IsComplete())
            {
                Installed = true;
                return;
            }

            using var fileLock = await AcquireFileLockAsync(cancellationToken);
            if (!IsComplete())
            {
                await RunNpmCiAsync(cancellationToken);
            }

            if (!IsComplete())
            {
                throw new InvalidOperationException(
                    $"`npm ci` finished but {string.Join(", ", RequiredFiles)} are still missing under {RepositoryFiles.Emulators}.");
            }

            Installed = true;
        }
        finally
        {
            InProcessGate.Release();
        }
    }

    private static bool IsComplete() =>
        RequiredFiles.All(f => File.Exists(Path.Combine(RepositoryFiles.Emulators, f)));

    // FileShare.None is enforced with flock on Unix, so it also excludes other test processes.
    // The lock file lives in the temp folder (one per checkout) so it never shows up in git.
    private static async Task<FileStream> AcquireFileLockAsync(CancellationToken cancellationToken)
    {
        var checkoutHash = Convert.ToHexString(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(RepositoryFiles.Emulators)))[..16];
        var lockPath = Path.Combine(Path.GetTempPath(), $"runsfleet-npm-ci-{checkoutHash}.lock");
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250, cancellationToken);
            }
        }
    }

    private static async Task RunNpmCiAsync(CancellationToken cancellationToken)
    {
        _ = NodeExecutable;
        var npm = FindOnPath("npm")
            ?? throw new InvalidOperationException("`npm` is not on PATH; it is needed once to install Tests/Emulators (npm ci).");
        var startInfo = new ProcessStartInfo(npm)
        {
            WorkingDirectory = RepositoryFiles.Emulators,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("ci");
        startInfo.ArgumentList.Add("--no-audit");
        startInfo.ArgumentList.Add("--no-fund");

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("Could not start `npm ci`.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`npm ci` in {RepositoryFiles.Emulators} did not finish within 4 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`npm ci` in {RepositoryFiles.Emulators} failed with exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    private static string? FindOnPath(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in new[] { name, name + ".exe", name + ".cmd" })
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        return null;
    }
}
