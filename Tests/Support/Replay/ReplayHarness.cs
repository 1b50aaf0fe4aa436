using Temporalio.Common;
using Temporalio.Worker;

namespace RunsFleet.Tests.Support.Replay;

/// <summary>
/// Replays a history through the real Temporal core state machines (no server) and records what
/// the workflow did:
/// <code>
/// var replay = await ReplayHarness.ReplayAsync&lt;JobTerminationWorkflow&gt;(history);
/// replay.EnsureReplayed();                       // nondeterminism etc. -> throws with details
/// Assert.Equal(["CompleteJob", "DeleteRunnerParameters", "PublishJobMetrics"], replay.ActivityTypes);
/// Assert.Equal(42, replay.Activities[0].Arg&lt;CompleteJobRequest&gt;().JobId);
/// var result = replay.Result&lt;JobTerminationResult&gt;();
/// </code>
/// </summary>
public static class ReplayHarness
{
    /// <summary>
    /// Replays <paramref name="history"/> with <typeparamref name="TWorkflow"/> registered and a fresh
    /// <see cref="RecordingInterceptor"/>. Never throws for replay failures: see
    /// <see cref="ReplayResult.ReplayFailure"/>. <paramref name="configure"/> may adjust the options
    /// (e.g. register more workflows, a logger factory).
    /// </summary>
    public static async Task<ReplayResult> ReplayAsync<TWorkflow>(WorkflowHistory history, Action<WorkflowReplayerOptions>? configure = null)
    {
        var recorder = new RecordingInterceptor();
        var options = new WorkflowReplayerOptions { Interceptors = [recorder] }.AddWorkflow<TWorkflow>();
        configure?.Invoke(options);
        var replayer = new WorkflowReplayer(options);
        var outcome = await replayer.ReplayWorkflowAsync(history, throwOnReplayFailure: false);
        return new ReplayResult(history, outcome.ReplayFailure, recorder);
    }

    /// <summary>
    /// Replays like <see cref="ReplayAsync{TWorkflow}"/> and also asks the query <paramref name="queryName"/>
    /// each time the workflow schedules an activity, continues as new, returns or fails (see
    /// <see cref="QueryProbeInterceptor"/>): the answers, in order, with the current details.
    /// </summary>
    public static async Task<(ReplayResult Replay, IReadOnlyList<QueryProbe> Probes)> ReplayWithQueryAsync<TWorkflow>(
        WorkflowHistory history, string queryName)
    {
        var probe = new QueryProbeInterceptor(queryName);
        var replay = await ReplayAsync<TWorkflow>(history, options => options.Interceptors = [.. options.Interceptors ?? [], probe]);
        return (replay, probe.Probes);
    }
}
