using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RunsFleet.Activities.Sweeps.StrayInstances;
using RunsFleet.Hosting;
using RunsFleet.Worker.Configuration;
using RunsFleet.Worker.Registration;

namespace RunsFleet.Tests.Worker.Registration;

public sealed class OptionsBindingTests
{
    private static readonly IReadOnlyList<OptionsBinding> Bindings =
    [
        OptionsBinding.For<SampleOptions>("SAMPLE_NAME", o => o.Name, "a name"),
        OptionsBinding.For<SampleOptions>("SAMPLE_LIMIT", o => o.Limit, "a limit"),
        OptionsBinding.For<SampleOptions>("SAMPLE_ENABLED", o => o.Enabled, "a flag"),
    ];

    [Fact]
    public void Defaults_come_from_the_options_class()
    {
        Assert.Equal(["sample", "10", "False"], Bindings.Select(b => b.DefaultText));
        Assert.Equal(["Name", "Limit", "Enabled"], Bindings.Select(b => b.MemberName));
    }

    [Fact]
    public void Values_are_converted_and_validated_with_data_annotations()
    {
        var reader = new EnvironmentSettingsReader(TestEnvironment.With(("SAMPLE_NAME", "n"), ("SAMPLE_LIMIT", "many"), ("SAMPLE_ENABLED", "true")));

        var bound = OptionsBinder.Bind(reader, Bindings);

        Assert.True(((SampleOptions)bound[typeof(SampleOptions)]).Enabled);
        Assert.Equal(2, reader.Problems.Count);
        Assert.Contains("SAMPLE_LIMIT must be a whole number, got 'many'", reader.Problems);
        Assert.Contains("SAMPLE_NAME must be 3-20 letters, got 'n'", reader.Problems);
    }

    [Fact]
    public void A_range_attribute_reports_the_variable_and_value()
    {
        var reader = new EnvironmentSettingsReader(TestEnvironment.With(("SAMPLE_LIMIT", "1000")));

        OptionsBinder.Bind(reader, Bindings);

        var problem = Assert.Single(reader.Problems);
        Assert.StartsWith("SAMPLE_LIMIT ", problem, StringComparison.Ordinal);
        Assert.EndsWith("got '1000'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Terminate_batch_size_is_capped_at_the_ec2_filter_limit()
    {
        var over = new EnvironmentSettingsReader(TestEnvironment.With(("RUNS_FLEET_STRAY_INSTANCES_TERMINATE_BATCH_SIZE", "201")));
        var limit = new EnvironmentSettingsReader(TestEnvironment.With(("RUNS_FLEET_STRAY_INSTANCES_TERMINATE_BATCH_SIZE", "200")));

        OptionsBinder.Bind(over, WorkerRegistration.OptionsBindings);
        var bound = OptionsBinder.Bind(limit, WorkerRegistration.OptionsBindings);

        Assert.Equal("RUNS_FLEET_STRAY_INSTANCES_TERMINATE_BATCH_SIZE must be between 1 and 200, got '201'", Assert.Single(over.Problems));
        Assert.Empty(limit.Problems);
        Assert.Equal(200, ((StrayInstanceSweepOptions)bound[typeof(StrayInstanceSweepOptions)]).TerminateBatchSize);
    }

    [Fact]
    public void A_real_range_problem_reads_as_one_sentence_about_the_variable()
    {
        var reader = new EnvironmentSettingsReader(TestEnvironment.With(("RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES", "0")));

        OptionsBinder.Bind(reader, RunsFleet.Worker.Registration.WorkerRegistration.OptionsBindings);

        var problem = Assert.Single(reader.Problems);
        Assert.Matches(@"^RUNS_FLEET_STRAY_INSTANCES_MAX_RUNTIME_MINUTES must be between \d+ and \d+, got '0'$", problem);
    }

    [Theory]
    [InlineData("running,terminating")]
    [InlineData("launched,completed")]
    public void A_status_no_job_may_be_orphaned_from_stops_the_worker_at_start(string statuses)
    {
        var reader = new EnvironmentSettingsReader(TestEnvironment.With(("RUNS_FLEET_ORPHANED_JOBS_STATUSES", statuses)));

        OptionsBinder.Bind(reader, WorkerRegistration.OptionsBindings);

        var problem = Assert.Single(reader.Problems);
        Assert.StartsWith("RUNS_FLEET_ORPHANED_JOBS_STATUSES must list only statuses a job may be orphaned from", problem, StringComparison.Ordinal);
        Assert.EndsWith($"got '{statuses}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Registered_options_carry_the_environment_values()
    {
        var services = new ServiceCollection();
        var reader = new EnvironmentSettingsReader(TestEnvironment.With(("SAMPLE_NAME", "fleet"), ("SAMPLE_LIMIT", "42")));

        OptionsBinder.Register(services, reader, Bindings);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<SampleOptions>>().Value;
        Assert.Equal("fleet", options.Name);
        Assert.Equal(42, options.Limit);
        Assert.False(options.Enabled);
    }

    [Fact]
    public void A_selector_that_is_not_a_settable_property_is_refused()
    {
        Assert.Throws<ArgumentException>(() => OptionsBinding.For<SampleOptions>("SAMPLE_X", o => o.Name.Length, "x"));
    }

    [Fact]
    public void The_worker_table_binds_each_variable_once_per_options_class()
    {
        var pairs = WorkerRegistration.OptionsBindings.Select(b => (b.Variable, b.OptionsType)).ToList();
        var variables = pairs.Select(p => p.Variable).ToList();

        Assert.Equal(pairs.Count, pairs.Distinct().Count());
        Assert.Contains("RUNS_FLEET_JOBS_TABLE", variables);
        Assert.Contains("RUNS_FLEET_METRICS_NAMESPACE", variables);
        Assert.All(variables, v => Assert.StartsWith("RUNS_FLEET_", v, StringComparison.Ordinal));
    }

    [Fact]
    public void A_custom_parser_binds_structured_values_and_reports_its_format_errors()
    {
        var binding = OptionsBinding.For<SampleOptions>("SAMPLE_WEIGHTS", o => o.Weights, "weights", SampleOptions.ParseWeights);
        var good = new EnvironmentSettingsReader(TestEnvironment.With(("SAMPLE_WEIGHTS", "a=1,b=2")));
        var bad = new EnvironmentSettingsReader(TestEnvironment.With(("SAMPLE_WEIGHTS", "a=1,b")));

        var bound = (SampleOptions)OptionsBinder.Bind(good, [binding])[typeof(SampleOptions)];
        OptionsBinder.Bind(bad, [binding]);

        Assert.Empty(good.Problems);
        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, bound.Weights);
        Assert.Equal("SAMPLE_WEIGHTS entry 'b' is not name=number, got 'a=1,b'", Assert.Single(bad.Problems));
        Assert.Equal("x=3", binding.DefaultText);
    }

    public sealed class SampleOptions
    {
        public Dictionary<string, int> Weights { get; set; } = new() { ["x"] = 3 };

        public static Dictionary<string, int> ParseWeights(string text) =>
            text.Split(',').Select(entry => entry.Split('=')).ToDictionary(
                parts => parts[0],
                parts => parts.Length == 2 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : throw new FormatException($"entry '{parts[0]}' is not name=number"));

        [RegularExpression(@"^[a-z]{3,20}\z", ErrorMessage = "Must be 3-20 letters")]
        public string Name { get; set; } = "sample";

        [Range(1, 100)]
        public int Limit { get; set; } = 10;

        public bool Enabled { get; set; }
    }
}
