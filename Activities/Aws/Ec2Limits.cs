namespace RunsFleet.Activities.Aws;

/// <summary>Request limits of the EC2 API that every caller chunks or caps to.</summary>
internal static class Ec2Limits
{
    /// <summary>Values one DescribeInstances filter may carry; EC2 answers more with FilterLimitExceeded
    /// ("The maximum number of filter values specified on a single call is 200").</summary>
    public const int MaxFilterValues = 200;
}
