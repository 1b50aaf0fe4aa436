using Temporalio.Client;
using Temporalio.Client.Schedules;
using Temporalio.Exceptions;

namespace RunsFleet.Worker.Schedules;

/// <summary><see cref="IScheduleStore"/> over a Temporal client.</summary>
internal sealed class TemporalScheduleStore(ITemporalClient client) : IScheduleStore
{
    private readonly ITemporalClient _client = client ?? throw new ArgumentNullException(nameof(client));

    /// <inheritdoc />
    public async Task<Schedule?> DescribeAsync(string scheduleId, CancellationToken cancellationToken)
    {
        try
        {
            var description = await _client.GetScheduleHandle(scheduleId)
                .DescribeAsync(new RpcOptions { CancellationToken = cancellationToken });
            return description.Schedule;
        }
        catch (RpcException e) when (e.Code == RpcException.StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryCreateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CreateScheduleAsync(scheduleId, schedule,
                new ScheduleOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } });
            return true;
        }
        catch (ScheduleAlreadyRunningException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public Task UpdateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken) =>
        _client.GetScheduleHandle(scheduleId)
            .UpdateAsync(_ => new ScheduleUpdate(schedule), new RpcOptions { CancellationToken = cancellationToken });
}
