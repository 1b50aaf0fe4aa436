using Amazon.CDK;

namespace RunsFleet.Infrastructure;

/// <summary>Entry point of the CDK app (<c>cdk synth</c> / <c>cdk deploy</c> run it through cdk.json).
/// Settings come from CDK context (<c>-c runsFleet:temporalAddress=...</c> or cdk.json).</summary>
internal static class Program
{
    public static void Main()
    {
        var app = new App();
        var settings = RunsFleetSettings.FromContext(app.Node);
        new RunsFleetStack(app, "RunsFleet", settings, new StackProps
        {
            Env = new Amazon.CDK.Environment
            {
                Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
                Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
            },
            Description = "runs-fleet: Temporal worker, SQS bridge, queues, archive bucket and least-privilege roles",
        });
        app.Synth();
    }
}
