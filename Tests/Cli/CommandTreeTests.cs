using System.CommandLine;
using System.CommandLine.Completions;
using System.Text.RegularExpressions;
using RunsFleet.Cli;
using RunsFleet.Cli.Common;
using RunsFleet.Contracts.Sweeps;
using RunsFleet.Tests.Cli.Support;
using RunsFleet.Tests.Support;

namespace RunsFleet.Tests.Cli;

/// <summary>
/// Walks the whole command tree, so the CLI's conventions hold for a command added later too:
/// every --yes has -y and is needed somewhere, every closed set of values is told in the docs' case.
/// </summary>
public class CommandTreeTests
{
    private static readonly RootCommand Root = CliApp.BuildRoot(new CliHarness().Context());

    [Fact]
    public void Every_yes_has_y_and_only_the_commands_that_change_something_have_one()
    {
        var withYes = Commands(Root, [])
            .Where(c => c.Command.Options.Any(o => o.Name == Confirmation.YesOption))
            .ToList();

        Assert.All(withYes, c => Assert.Contains("-y", c.Command.Options.Single(o => o.Name == Confirmation.YesOption).Aliases));
        // The docs' list of what needs --yes (operator-guide.md, "The operator CLI"); unpause changes nothing a sweep does.
        Assert.Equal(
            ["dlq redrive", "schedules backfill", "schedules pause", "schedules trigger", "sweep run"],
            withYes.Select(c => string.Join(' ', c.Path)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(
            Commands(Root, []).SelectMany(c => c.Command.Options),
            o => o.Name != Confirmation.YesOption && o.Aliases.Contains("-y"));
    }

    [Fact]
    public async Task Every_closed_set_of_values_is_listed_on_one_line_as_the_docs_spell_it()
    {
        var guide = RepositoryFiles.Read("docs/operator-guide.md");
        var symbols = Commands(Root, []).SelectMany(c => ClosedSets(c.Path, c.Command)).ToList();

        // --output, --queue (3 dlq commands), --reason (show, redrive), the sweep argument (sweep run|last, 4 schedules actions).
        Assert.Equal(12, symbols.Count);
        foreach (var (args, symbol, enumType) in symbols)
        {
            var run = await new CliHarness().RunAsync([.. args]);

            var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            var listed = Regex.Match(line, "Argument 'bogus' not recognized. Must be one of: ((?:'[^']+'(?:, )?)+)");
            Assert.True(listed.Success, $"{string.Join(' ', args)}: {line}");
            var values = Regex.Matches(listed.Groups[1].Value, "'([^']+)'").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(symbol.GetCompletions(CompletionContext.Empty).Select(c => c.Label).Order(), values.Order());
            Assert.All(values, v => Assert.Matches($@"(?<![\w-]){Regex.Escape(v)}(?![\w-])", guide));
            if (enumType is not null)
            {
                // Every value of the enum, none spelt as C# spells it (the docs write auto, termination, stale-ssm).
                // The sweep argument also takes the sweeps' names from before issue 14 (orphans, old-jobs).
                var aliases = enumType == typeof(SweepKind) ? SweepDefinition.All.Sum(d => d.LegacyNames.Length) : 0;
                Assert.Equal(Enum.GetNames(enumType).Length + aliases, values.Count);
                Assert.Empty(values.Intersect(Enum.GetNames(enumType)));
                Assert.DoesNotContain(enumType.FullName!, line, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Help_never_shows_an_enum_value_as_csharp_spells_it()
    {
        foreach (var (path, command) in Commands(Root, []))
        {
            var help = await new CliHarness().RunAsync([.. path, "--help"]);

            Assert.DoesNotMatch(@"\[default: [A-Z]", help.Output);
        }
    }

    // Every command with the words that reach it.
    private static IEnumerable<(string[] Path, Command Command)> Commands(Command command, string[] path) =>
        [(path, command), .. command.Subcommands.SelectMany(c => Commands(c, [.. path, c.Name]))];

    // The options and arguments of a command taking one of a closed set of values: an enum, or a value
    // restricted with AcceptOnlyFromAmong (it completes from the set); each with a command line giving it "bogus".
    private static IEnumerable<(string[] Args, Symbol Symbol, Type? EnumType)> ClosedSets(string[] path, Command command)
    {
        foreach (var option in command.Options.Where(o => IsClosedSet(o, o.ValueType)))
        {
            yield return ([.. path, option.Name, "bogus"], option, EnumType(option.ValueType));
        }

        foreach (var argument in command.Arguments.Where(a => IsClosedSet(a, a.ValueType)))
        {
            yield return ([.. path, "bogus"], argument, EnumType(argument.ValueType));
        }
    }

    private static bool IsClosedSet(Symbol symbol, Type valueType) =>
        EnumType(valueType) is not null
        || (valueType != typeof(bool) && symbol.GetCompletions(CompletionContext.Empty).Any());

    private static Type? EnumType(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } e ? e : null;
}
