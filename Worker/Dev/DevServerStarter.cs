using Temporalio.Testing;

namespace RunsFleet.Worker.Dev;

/// <summary>Starts a local Temporal dev server; the SDK's StartLocalAsync in production.</summary>
internal delegate Task<WorkflowEnvironment> DevServerStarter(WorkflowEnvironmentStartLocalOptions options);
