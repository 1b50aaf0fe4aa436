using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Aws;
using RunsFleet.Activities.Common;
using Temporalio.Activities;

namespace RunsFleet.Activities.Runners;

/// <summary>Removes a finished runner's SSM parameters, so its credential cannot be reused.</summary>
public sealed class RunnerParameterActivities
{
    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly string _prefix;
    private readonly ILogger<RunnerParameterActivities> _logger;

    /// <summary>Creates the activities; the prefix is checked here as well as by options validation.</summary>
    public RunnerParameterActivities(
        IAmazonSimpleSystemsManagement ssm,
        IOptions<RunnerParameterOptions> options,
        ILogger<RunnerParameterActivities> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ssm = ssm ?? throw new ArgumentNullException(nameof(ssm));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _prefix = options.Value.Prefix;
        if (!RunnerParameterOptions.IsValidPrefix(_prefix))
        {
            throw new ArgumentException($"runner parameter prefix '{_prefix}' must start with '/' and not end with '/'",
                nameof(options));
        }
    }

    /// <summary>Deletes {prefix}/{instanceId}/config and .../credential in one DeleteParameters call.
    /// Names SSM reports as invalid (not found) are already gone: success, not an error.</summary>
    [Activity]
    public async Task<RunnerParametersDeleted> DeleteRunnerParametersAsync(string instanceId)
    {
        var names = RunnerParameterNames.For(_prefix, instanceId);
        var response = await AwsCall.RunAsync(
            "DeleteParameters",
            () => _ssm.DeleteParametersAsync(new DeleteParametersRequest { Names = [.. names] },
                CurrentActivity.CancellationToken),
            ex => _logger.LogWarning(ex, "DeleteParameters for {InstanceId} failed with {ErrorCode}", instanceId,
                ex.ErrorCode));

        // SDK v4 leaves empty lists null.
        var deleted = response.DeletedParameters?.Count ?? 0;
        var alreadyGone = response.InvalidParameters?.Count ?? 0;
        _logger.LogInformation(
            "Runner parameters of {InstanceId}: {Deleted} deleted, {AlreadyGone} already gone",
            instanceId,
            deleted,
            alreadyGone);
        return new RunnerParametersDeleted(deleted, alreadyGone);
    }
}
