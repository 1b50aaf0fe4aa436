namespace RunsFleet.Tests.Support;

/// <summary>
/// Optional xunit collections sharing ONE emulator process across many test classes:
/// put <c>[Collection(EmulatorCollections.Dynalite)]</c> on a class and take <see cref="DynaliteFixture"/>
/// in its constructor. Classes of one collection run one after another (xunit rule), so prefer
/// <c>IClassFixture&lt;DynaliteFixture&gt;</c> (one process per class, classes in parallel) unless
/// the number of processes matters more than parallelism.
/// </summary>
public static class EmulatorCollections
{
    /// <summary>Collection name sharing one <see cref="DynaliteFixture"/>.</summary>
    public const string Dynalite = "dynalite (shared)";

    /// <summary>Collection name sharing one <see cref="FauxqsFixture"/>.</summary>
    public const string Fauxqs = "fauxqs (shared)";
}

/// <summary>Defines the shared dynalite collection (see <see cref="EmulatorCollections"/>).</summary>
[CollectionDefinition(EmulatorCollections.Dynalite)]
public sealed class SharedDynaliteCollection : ICollectionFixture<DynaliteFixture>;

/// <summary>Defines the shared fauxqs collection (see <see cref="EmulatorCollections"/>).</summary>
[CollectionDefinition(EmulatorCollections.Fauxqs)]
public sealed class SharedFauxqsCollection : ICollectionFixture<FauxqsFixture>;
