namespace RunsFleet.SqsBridge; internal static class Program { public static void Main() { } }
