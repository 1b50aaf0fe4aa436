using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using RunsFleet.Activities.Preflight;
using RunsFleet.Cli.Common;

namespace RunsFleet.Cli.Doctor;

/// <summary>The doctor's reads: the worker's two DescribeTable calls (<see cref="PreflightTables"/>), plus what
/// only an operator's identity may read and the worker's role need not: one HeadBucket per distinct
/// bucket and one GetQueueAttributes per configured bridge queue. They live here, not beside the
/// tables' in Activities, so the worker's least-privilege role is not asked for them. A failed read
/// becomes a probe the rules report as not checked; nothing throws for an AWS error.</summary>
internal static class DoctorProbes
{
    /// <summary>Everything the preflight decides on: 2 + buckets (0-2) + queues (0-2) requests.</summary>
    public static async Task<PreflightObservations> ObserveAsync(
        CliContext context, PreflightSettings settings, CancellationToken cancellationToken)
    {
        var (jobs, pools) = await PreflightTables.DescribeAsync(context.Dynamo(), settings, cancellationToken)
            .ConfigureAwait(false);
        var buckets = new List<BucketProbe>();
        var names = new[] { settings.ArchiveBucket, settings.ReportBucket }.OfType<string>();
        foreach (var bucket in names.Distinct(StringComparer.Ordinal))
        {
            buckets.Add(await HeadBucketAsync(context.S3(), bucket, cancellationToken).ConfigureAwait(false));
        }

        var queues = new List<QueueProbe>();
        foreach (var (variable, url) in new[]
        {
            (PreflightSettings.TerminationQueueUrlVariable, settings.TerminationQueueUrl),
            (PreflightSettings.HousekeepingQueueUrlVariable, settings.HousekeepingQueueUrl),
        })
        {
            if (url is not null)
            {
                queues.Add(await QueueAsync(context.Sqs(), variable, url, cancellationToken).ConfigureAwait(false));
            }
        }

        return new PreflightObservations(jobs, pools, buckets, queues);
    }

    private static async Task<BucketProbe> HeadBucketAsync(
        IAmazonS3 s3, string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken)
                .ConfigureAwait(false);
            return new BucketProbe(bucket, BucketAnswer.Found);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new BucketProbe(bucket, BucketAnswer.NotFound);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return new BucketProbe(bucket, BucketAnswer.Forbidden, $"403 {e.ErrorCode}");
        }
        catch (Exception e) when (ProbeFailure.IsExpected(e, cancellationToken))
        {
            return new BucketProbe(bucket, BucketAnswer.Failed, ProbeFailure.Describe(e));
        }
    }

    private static async Task<QueueProbe> QueueAsync(
        IAmazonSQS sqs, string variable, string url, CancellationToken cancellationToken)
    {
        try
        {
            var response = await sqs.GetQueueAttributesAsync(
                new GetQueueAttributesRequest
                {
                    QueueUrl = url,
                    AttributeNames = ["RedrivePolicy", "QueueArn", "FifoQueue"],
                },
                cancellationToken).ConfigureAwait(false);
            return new QueueProbe(variable, url, response.Attributes ?? []);
        }
        catch (AmazonSQSException e)
            when (e.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist")
        {
            return new QueueProbe(variable, url, null, NotFound: true);
        }
        catch (Exception e) when (ProbeFailure.IsExpected(e, cancellationToken))
        {
            return new QueueProbe(variable, url, null, Failure: ProbeFailure.Describe(e));
        }
    }
}
