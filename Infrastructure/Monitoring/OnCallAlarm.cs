using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Constructs;

namespace RunsFleet.Infrastructure.Monitoring;

/// <summary>The one shape of every alarm the stack creates (the queues' DLQ alarms, the bridge alarms): above a
/// threshold for some periods, missing data not breaching, notifying the alarm topic when one is configured.</summary>
internal static class OnCallAlarm
{
    /// <summary>The alarm topic (runsFleet:alarmTopicArn) imported into <paramref name="scope"/>; null: none.</summary>
    public static ITopic? Topic(Construct scope, string? arn) =>
        arn is null ? null : Amazon.CDK.AWS.SNS.Topic.FromTopicArn(scope, "AlarmTopic", arn);

    public static Alarm Create(Construct scope, string id, string name, string description, IMetric metric,
        double threshold, int periods, ITopic? topic)
    {
        var alarm = new Alarm(scope, id, new AlarmProps
        {
            AlarmName = name,
            AlarmDescription = description,
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = periods,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        if (topic is not null)
        {
            alarm.AddAlarmAction(new SnsAction(topic));
        }

        return alarm;
    }
}
