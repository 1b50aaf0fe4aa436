using System.Reflection;
using RunsFleet.Worker.Schedules;
using Temporalio.Client.Schedules;
using Temporalio.Converters;
using ProtoSchedule = Temporalio.Api.Schedule.V1.Schedule;

namespace RunsFleet.Tests.Worker.Schedules;

/// <summary>
/// A schedule store that keeps schedules as the server would: every schedule goes through
/// the SDK's own proto conversion and the wire bytes on the way in and out, so a describe
/// returns what a real DescribeSchedule returns (encoded inputs, proto ranges, search
/// attributes with their metadata), not the object that was stored.
/// </summary>
internal sealed class InMemoryScheduleStore : IScheduleStore
{
    // Internal in Temporalio 1.21.1; the client uses exactly these to talk to the server.
    private static readonly MethodInfo ToProto = typeof(Schedule).GetMethod("ToProtoAsync", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Schedule.ToProtoAsync not found");

    private static readonly MethodInfo FromProto = typeof(Schedule).GetMethod("FromProtoAsync", BindingFlags.Static | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Schedule.FromProtoAsync not found");

    private readonly Dictionary<string, byte[]> _schedules = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    /// <summary>Ids whose next create fails as if another worker created them first.</summary>
    public HashSet<string> CreatedElsewhereFirst { get; } = new(StringComparer.Ordinal);

    public int Writes => Calls.Count(c => !c.StartsWith("describe", StringComparison.Ordinal));

    public async Task<Schedule?> DescribeAsync(string scheduleId, CancellationToken cancellationToken)
    {
        Calls.Add("describe " + scheduleId);
        return _schedules.TryGetValue(scheduleId, out var bytes) ? await Decode(bytes) : null;
    }

    public async Task<bool> TryCreateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken)
    {
        if (CreatedElsewhereFirst.Remove(scheduleId))
        {
            _schedules[scheduleId] = await Encode(schedule);
            return false;
        }

        Calls.Add("create " + scheduleId);
        if (_schedules.ContainsKey(scheduleId))
        {
            return false;
        }

        _schedules[scheduleId] = await Encode(schedule);
        return true;
    }

    public async Task UpdateAsync(string scheduleId, Schedule schedule, CancellationToken cancellationToken)
    {
        Calls.Add("update " + scheduleId);
        if (!_schedules.ContainsKey(scheduleId))
        {
            throw new InvalidOperationException($"no schedule {scheduleId}");
        }

        _schedules[scheduleId] = await Encode(schedule);
    }

    /// <summary>Changes a stored schedule the way an operator's CLI command would.</summary>
    public async Task EditAsync(string scheduleId, Func<Schedule, Schedule> edit)
    {
        var current = await Decode(_schedules[scheduleId]);
        _schedules[scheduleId] = await Encode(edit(current));
    }

    private static async Task<byte[]> Encode(Schedule schedule)
    {
        var proto = await (Task<ProtoSchedule>)ToProto.Invoke(schedule, ["default", DataConverter.Default])!;
        return Google.Protobuf.MessageExtensions.ToByteArray(proto);
    }

    private static Task<Schedule> Decode(byte[] bytes) =>
        (Task<Schedule>)FromProto.Invoke(null, [ProtoSchedule.Parser.ParseFrom(bytes), "default", DataConverter.Default])!;
}
