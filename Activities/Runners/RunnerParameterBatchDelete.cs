using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;

namespace RunsFleet.Activities.Runners;

/// <summary>Deletes many runner parameters, <see cref="MaxNamesPerRequest"/> per DeleteParameters call
/// (the API's limit), heartbeating after each call. Names SSM reports as invalid are already gone.</summary>
internal static class RunnerParameterBatchDelete
{
    /// <summary>Names DeleteParameters accepts in one request.</summary>
    public const int MaxNamesPerRequest = 10;

    /// <summary>Deletes <paramref name="names"/> (none: no call); returns how many were deleted and how many
    /// were already gone.</summary>
    public static async Task<(int Deleted, int AlreadyGone)> DeleteAsync(
        IAmazonSimpleSystemsManagement ssm,
        IReadOnlyCollection<string> names,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssm);
        ArgumentNullException.ThrowIfNull(names);
        var deleted = 0;
        var alreadyGone = 0;
        foreach (var batch in names.Chunk(MaxNamesPerRequest))
        {
            var response = await AwsCall.RunAsync(
                "DeleteParameters", () => ssm.DeleteParametersAsync(new DeleteParametersRequest { Names = [.. batch] },
                    cancellationToken));
            // SDK v4 leaves empty lists null.
            deleted += response.DeletedParameters?.Count ?? 0;
            alreadyGone += response.InvalidParameters?.Count ?? 0;
            CurrentActivity.Heartbeat(deleted);
        }

        return (deleted, alreadyGone);
    }
}
