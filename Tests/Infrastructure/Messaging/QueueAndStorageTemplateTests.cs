using Amazon.CDK.Assertions;

namespace RunsFleet.Tests.Infrastructure.Messaging;

/// <summary>Queues, DLQs, alarms, tables and the archive bucket of the synthesized stack.</summary>
[Collection(SynthesizedStacksCollection.Name)]
public class QueueAndStorageTemplateTests(SynthesizedStacksFixture stacks)
{
    private const int FourteenDays = 14 * 24 * 3600;

    [Fact]
    public void Termination_queue_is_fifo_with_content_based_dedup_120s_visibility_14_days_and_its_dlq_after_3_receives()
    {
        stacks.Default.Template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["QueueName"] = "runs-fleet-termination.fifo",
            ["FifoQueue"] = true,
            ["ContentBasedDeduplication"] = true,
            ["VisibilityTimeout"] = 120,
            ["MessageRetentionPeriod"] = FourteenDays,
            ["RedrivePolicy"] = new Dictionary<string, object>
            {
                ["deadLetterTargetArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { QueueId("runs-fleet-termination-dlq.fifo"), "Arn" } },
                ["maxReceiveCount"] = 3,
            },
        });
    }

    [Fact]
    public void Housekeeping_queue_is_standard_with_300s_visibility_14_days_and_its_dlq_after_3_receives()
    {
        stacks.Default.Template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["QueueName"] = "runs-fleet-housekeeping",
            ["FifoQueue"] = Match.Absent(),
            ["VisibilityTimeout"] = 300,
            ["MessageRetentionPeriod"] = FourteenDays,
            ["RedrivePolicy"] = new Dictionary<string, object>
            {
                ["deadLetterTargetArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { QueueId("runs-fleet-housekeeping-dlq"), "Arn" } },
                ["maxReceiveCount"] = 3,
            },
        });
    }

    [Theory]
    [InlineData("runs-fleet-termination-dlq.fifo", true)]
    [InlineData("runs-fleet-housekeeping-dlq", false)]
    public void Dead_letter_queues_keep_messages_14_days_and_match_their_source_queue_type(string name, bool fifo)
    {
        stacks.Default.Template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["QueueName"] = name,
            ["MessageRetentionPeriod"] = FourteenDays,
            ["FifoQueue"] = fifo ? true : Match.Absent(),
            ["RedrivePolicy"] = Match.Absent(),
        });
    }

    [Fact]
    public void Exactly_four_queues_all_encrypted_at_rest()
    {
        stacks.Default.Template.ResourceCountIs("AWS::SQS::Queue", 4);
        Assert.All(stacks.Default.Resources("AWS::SQS::Queue"), queue => Assert.True(queue.Properties.GetProperty("SqsManagedSseEnabled").GetBoolean()));
    }

    [Theory]
    [InlineData("runs-fleet-termination-dlq.fifo")]
    [InlineData("runs-fleet-housekeeping-dlq")]
    public void Each_dlq_has_an_alarm_when_it_holds_any_visible_message(string dlqName)
    {
        stacks.Default.Template.HasResourceProperties("AWS::CloudWatch::Alarm", new Dictionary<string, object>
        {
            ["Namespace"] = "AWS/SQS",
            ["MetricName"] = "ApproximateNumberOfMessagesVisible",
            ["Dimensions"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["Name"] = "QueueName",
                    ["Value"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { QueueId(dlqName), "QueueName" } },
                },
            },
            ["ComparisonOperator"] = "GreaterThanThreshold",
            ["Threshold"] = 0,
            ["EvaluationPeriods"] = 1,
            ["TreatMissingData"] = "notBreaching",
        });
    }

    [Fact]
    public void Alarms_notify_the_configured_topic_and_of_the_queues_only_the_two_dlqs_are_alarmed()
    {
        // The two DLQ alarms, and the bridge's (BridgeAlarmTemplateTests).
        Assert.Equal(2, stacks.Default.Resources("AWS::CloudWatch::Alarm").Count(a => a.Properties.GetProperty("Namespace").GetString() == "AWS/SQS"));
        stacks.Default.Template.ResourceCountIs("AWS::CloudWatch::Alarm", 2 + stacks.Default.Stack.BridgeAlarms.Alarms.Count);
        Assert.All(stacks.Default.Resources("AWS::CloudWatch::Alarm"), alarm => Assert.False(alarm.Properties.TryGetProperty("AlarmActions", out _)));
        Assert.All(stacks.WithCreatedJobsTable.Resources("AWS::CloudWatch::Alarm"), alarm =>
            Assert.Equal("arn:aws:sns:eu-west-1:123456789012:runs-fleet-alarms", alarm.Properties.GetProperty("AlarmActions")[0].GetString()));
    }

    [Fact]
    public void By_default_the_jobs_and_pools_tables_are_imported_not_created()
    {
        stacks.Default.Template.ResourceCountIs("AWS::DynamoDB::Table", 0);
        stacks.Default.Template.ResourceCountIs("AWS::DynamoDB::GlobalTable", 0);
    }

    [Fact]
    public void Index_names_match_the_ones_the_activities_query()
    {
        var options = new RunsFleet.Activities.Jobs.JobsTableOptions();
        var defaults = RunsFleet.Infrastructure.Data.JobsTableIndexes.Defaults;

        Assert.Equal(defaults.CompletedAtIndex, options.CompletedAtIndex);
        Assert.Equal(defaults.InstanceIdIndex, options.InstanceIdIndex);
        Assert.Equal(defaults.ActiveJobsIndex, options.ActiveJobsIndex);
    }

    [Fact]
    public void Archive_bucket_is_encrypted_blocks_public_access_expires_objects_and_is_retained()
    {
        stacks.Default.Template.ResourceCountIs("AWS::S3::Bucket", 1);
        stacks.Default.Template.HasResource("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["Properties"] = new Dictionary<string, object>
            {
                ["BucketEncryption"] = new Dictionary<string, object>
                {
                    ["ServerSideEncryptionConfiguration"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["ServerSideEncryptionByDefault"] = new Dictionary<string, object> { ["SSEAlgorithm"] = "AES256" },
                        },
                    },
                },
                ["PublicAccessBlockConfiguration"] = new Dictionary<string, object>
                {
                    ["BlockPublicAcls"] = true,
                    ["BlockPublicPolicy"] = true,
                    ["IgnorePublicAcls"] = true,
                    ["RestrictPublicBuckets"] = true,
                },
                ["LifecycleConfiguration"] = new Dictionary<string, object>
                {
                    ["Rules"] = Match.ArrayWith(new object[]
                    {
                        Match.ObjectLike(new Dictionary<string, object> { ["Prefix"] = "runs-fleet/jobs-archive/", ["Status"] = "Enabled", ["ExpirationInDays"] = 400 }),
                        Match.ObjectLike(new Dictionary<string, object> { ["Prefix"] = "pool-audit/", ["Status"] = "Enabled", ["ExpirationInDays"] = 90 }),
                    }),
                },
            },
        });
    }

    [Fact]
    public void Archive_bucket_refuses_requests_without_tls()
    {
        var (_, policy) = Assert.Single(stacks.Default.Resources("AWS::S3::BucketPolicy"));
        var deny = Assert.Single(policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray(), s => s.GetProperty("Effect").GetString() == "Deny");

        Assert.Equal("false", deny.GetProperty("Condition").GetProperty("Bool").GetProperty("aws:SecureTransport").GetString());
    }

    private string QueueId(string queueName) =>
        stacks.Default.Resources("AWS::SQS::Queue").Single(q => q.Properties.GetProperty("QueueName").GetString() == queueName).Id;
}
