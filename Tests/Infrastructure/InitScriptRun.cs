using System.Diagnostics;
using System.Text.Json;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Infrastructure;

/// <summary>
/// One run of the LocalStack init script (deploy/localstack/ready.d/10-runs-fleet.sh) under bash, with
/// <c>awslocal</c> and <c>touch</c> replaced by stubs that record their arguments: what the script would
/// create in LocalStack, without LocalStack (and without writing the healthcheck marker on this machine).
/// </summary>
public sealed class InitScriptRun
{
    public const string Script = "deploy/localstack/ready.d/10-runs-fleet.sh";

    private const char ArgumentEnd = '\u001f';
    private const char CallEnd = '\u001e';

    private InitScriptRun(int exitCode, string error, IReadOnlyList<IReadOnlyList<string>> calls)
    {
        ExitCode = exitCode;
        Error = error;
        Calls = calls;
    }

    public int ExitCode { get; }

    public string Error { get; }

    /// <summary>Every stubbed command in call order: its name, then its arguments.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Calls { get; }

    /// <summary>bash, or null where there is none (the test is then skipped with that reason).</summary>
    public static string? Bash { get; } = new[] { "/bin/bash", "/usr/bin/bash" }.FirstOrDefault(File.Exists);

    /// <summary>Runs the script with <c>TERMINATION_QUEUE_KIND</c> set to <paramref name="kind"/> (null: unset).</summary>
    public static InitScriptRun Execute(string? kind)
    {
        var stubs = Directory.CreateTempSubdirectory("runs-fleet-init-");
        try
        {
            var log = Path.Combine(stubs.FullName, "calls.log");
            // awslocal prints one word for every --query, enough for ids and ARNs the script passes on.
            WriteStub(stubs.FullName, "awslocal", "echo stub-output");
            WriteStub(stubs.FullName, "touch", ":");

            var start = new ProcessStartInfo(Bash!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(RepositoryFiles.PathOf(Script));
            start.Environment["PATH"] = stubs.FullName + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH");
            start.Environment["STUB_LOG"] = log;
            start.Environment.Remove("TERMINATION_QUEUE_KIND");
            if (kind is not null)
            {
                start.Environment["TERMINATION_QUEUE_KIND"] = kind;
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "the init script did not finish in 60 s");
            _ = output.Result;

            var calls = File.Exists(log)
                ? File.ReadAllText(log).Split(CallEnd, StringSplitOptions.RemoveEmptyEntries)
                    .Select(call => (IReadOnlyList<string>)call.Split(ArgumentEnd).SkipLast(1).ToList())
                    .ToList()
                : [];
            return new InitScriptRun(process.ExitCode, error.Result, calls);
        }
        finally
        {
            stubs.Delete(recursive: true);
        }
    }

    /// <summary>The queues the script creates: name and attributes (the RedrivePolicy JSON unpacked into its keys).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> CreatedQueues()
    {
        var queues = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var call in Calls.Where(c => c[0] == "awslocal" && c.Contains("create-queue")))
        {
            queues[ValueAfter(call, "--queue-name")] = Attributes(ValueAfter(call, "--attributes"));
        }

        return queues;
    }

    /// <summary>Attributes in either form the AWS CLI takes: JSON, or the shorthand <c>Name=value,Name=value</c>.</summary>
    public static Dictionary<string, string> Attributes(string text)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!text.TrimStart().StartsWith('{'))
        {
            foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                attributes[parts[0]] = parts[1];
            }

            return attributes;
        }

        using var json = JsonDocument.Parse(text);
        foreach (var attribute in json.RootElement.EnumerateObject())
        {
            attributes[attribute.Name] = attribute.Value.GetString()!;
        }

        if (attributes.TryGetValue("RedrivePolicy", out var redrive))
        {
            using var policy = JsonDocument.Parse(redrive);
            foreach (var field in policy.RootElement.EnumerateObject())
            {
                attributes["RedrivePolicy." + field.Name] = field.Value.GetString()!;
            }
        }

        return attributes;
    }

    private static string ValueAfter(IReadOnlyList<string> call, string option) =>
        call[call.ToList().IndexOf(option) + 1];

    private static void WriteStub(string directory, string name, string body)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, $$"""
            #!/bin/bash
            { printf '%s\037' "{{name}}" "$@"; printf '\036'; } >> "$STUB_LOG"
            {{body}}

            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
