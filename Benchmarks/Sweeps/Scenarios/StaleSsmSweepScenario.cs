using RunsFleet.Activities.Sweeps.StaleSsm;
using RunsFleet.Tests.Support;
using RunsFleet.Contracts.Sweeps;

namespace RunsFleet.Benchmarks.Sweeps.Scenarios;

/// <summary>
/// StaleSsmSweep's data: N runner instances with two parameters each (config, credential). By
/// index mod 10: 0-4 running (kept), 5-6 terminated and 7-8 unknown to EC2 (stale, deleted),
/// 9 unknown to EC2 but written 2 minutes ago (kept by the grace period, never looked up).
/// Every other parameter was written 2 hours ago.
/// </summary>
internal static class StaleSsmSweepScenario
{
    public static Task<SeededSweep> SeedAsync(SeedContext context, int size, CancellationToken cancellationToken)
    {
        var fakes = new FakeFleet();
        var options = new StaleSsmSweepOptions();
        var prefix = options.ParameterPrefix;
        var now = context.Now;
        long parameters = 0, lookups = 0, stale = 0;
        for (var i = 0; i < size; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = SeedContext.InstanceId(i);
            var slot = i % 10;
            var written = slot == 9 ? now.AddMinutes(-2) : now.AddHours(-2);
            foreach (var leaf in new[] { "config", "credential" })
            {
                fakes.Ssm.Put($"{prefix}{id}/{leaf}", "x", written, "SecureString");
                parameters++;
                stale += slot is >= 5 and <= 8 ? 1 : 0;
            }

            if (slot < 7)
            {
                fakes.Ec2.AddInstance(id, slot < 5 ? Ec2States.Running : Ec2States.Terminated, now.AddHours(-3), "m5.large", null, "r-" + id[2..]);
            }

            lookups += now - written > TimeSpan.FromMinutes(options.GraceMinutes) ? 1 : 0;
        }

        return Task.FromResult(new SeededSweep(
            context.Target(SweepKind.StaleSsm, fakes, string.Empty),
            RequestMinimums.StaleSsmSweep(parameters, lookups, stale),
            stale,
            "deleted",
            $"{parameters} parameters of {size} instances, {lookups} past the grace, {stale} stale",
            fakes));
    }
}
