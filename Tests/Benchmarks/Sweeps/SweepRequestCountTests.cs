extern alias benchmarks;

using benchmarks::RunsFleet.Benchmarks.Sweeps;
using benchmarks::RunsFleet.Benchmarks.Sweeps.Scenarios;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Benchmarks.Sweeps;

/// <summary>
/// The sweeps benchmark's request check, at 1000 items: each sweep's scenario seeded into dynalite,
/// fauxqs (S3) and the loopback EC2/SSM fakes, driven as its workflow drives it, must do its job
/// and send exactly the minimum of every operation (<c>RequestMinimums</c>, the benchmark's own
/// formulas). A change that adds a request fails here, naming the sweep and the operation; the
/// benchmark keeps the 10k run and the memory figures.
/// </summary>
public sealed class SweepRequestCountTests(DynaliteFixture dynalite, FauxqsFixture fauxqs)
    : IClassFixture<DynaliteFixture>, IClassFixture<FauxqsFixture>
{
    private const int Items = 1000;

    public static TheoryData<string> Sweeps => new(SweepCatalog.All.Select(sweep => sweep.Name));

    [Theory]
    [MemberData(nameof(Sweeps))]
    public async Task Every_operation_is_at_its_minimum_at_1k_items(string sweep)
    {
        var entry = SweepCatalog.Named(sweep);
        var bucket = await fauxqs.CreateBucketAsync(sweep);
        using var seed = new SeedContext(dynalite.ServiceUrl, fauxqs.ServiceUrl, bucket, SweepsBenchmark.Now);
        var seeded = await entry.SeedAsync(seed, Items, CancellationToken.None);
        await using (seeded.Fakes)
        {
            using var clients = new SweepClients(seeded.Target);
            var outcome = await entry.RunAsync(clients, seeded.Target);

            Assert.True(
                outcome == seeded.ExpectedOutcome,
                $"{sweep} at {Items}: {outcome} {seeded.OutcomeName}, expected {seeded.ExpectedOutcome}"
                + $" ({seeded.Data})");
            var differences = RequestMinimums.Differences(seeded.Minimum, clients.Requests());
            Assert.True(differences.Count == 0, $"{sweep} at {Items} items: {string.Join("; ", differences)}");
        }
    }
}
