using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using RunsFleet.Hosting;

namespace RunsFleet.Worker.Configuration;

/// <summary>One environment variable mapped onto one property of an options class (the classes the
/// activities take as <c>IOptions&lt;T&gt;</c>). The host's registration lists them, one
/// line per setting, and hands the table to <see cref="WorkerSettingsLoader"/>. The
/// default is the property's initial value; validation is the class's DataAnnotations.</summary>
public abstract class OptionsBinding
{
    protected OptionsBinding(string variable, string meaning)
    {
        Variable = variable;
        Meaning = meaning;
    }

    /// <summary>Environment variable name.</summary>
    public string Variable { get; }

    /// <summary>What it configures (for the README table and --help).</summary>
    public string Meaning { get; }

    /// <summary>Other names the setting is read from (ours before, runs-fleet's), in order; see <see
    /// cref="AlsoReads"/>.</summary>
    public IReadOnlyList<VariableAlias> Aliases => _aliases;

    private readonly List<VariableAlias> _aliases = [];

    /// <summary>Reads the setting also from <paramref name="alias"/> (translated by <paramref name="translate"/> when
    /// it speaks in other terms). The binding's own variable wins; two set names that disagree stop
    /// the worker at start-up with a problem naming both.</summary>
    public OptionsBinding AlsoReads(string alias, Func<string, string?>? translate = null)
    {
        _aliases.Add(new VariableAlias(alias, translate));
        return this;
    }

    /// <summary>
    /// Reads the setting also from <paramref name="earlier"/>, the name this project gave it before (a deployed
    /// environment keeps working); checked before runs-fleet's names, with the same conflict rule.
    /// </summary>
    public OptionsBinding WasNamed(string earlier)
    {
        _aliases.Add(new VariableAlias(earlier, Earlier: true));
        return this;
    }

    /// <summary>The setting's text from the environment (own variable, then aliases) and any disagreement.</summary>
    public AliasedValue Read(EnvironmentSettingsReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.OptionalAliased(Variable, _aliases, SameValue);
    }

    /// <summary>True when both texts convert to the same value of the property (e.g. "360" and "0360").</summary>
    internal abstract bool SameValue(string left, string right);

    /// <summary>Options class the variable sets a property of.</summary>
    public abstract Type OptionsType { get; }

    /// <summary>Property name (DataAnnotations report problems by member name).</summary>
    public abstract string MemberName { get; }

    /// <summary>The property's value on a fresh instance, as text ("" when null).</summary>
    public abstract string DefaultText { get; }

    /// <summary>A binding of <paramref name="variable"/> to the property <paramref name="member"/> selects, its text
    /// converted to the property's type, or by <paramref name="parse"/> when given (e.g. a price list): a
    /// FormatException or ArgumentException it throws becomes the variable's problem.</summary>
    public static OptionsBinding For<TOptions>(string variable, Expression<Func<TOptions, object?>> member,
        string meaning, Func<string, object?>? parse = null)
        where TOptions : class, new() => new OptionsBinding<TOptions>(variable, member, meaning, parse);

    /// <summary>Sets the property of <paramref name="options"/> from <paramref name="text"/>; false when the text does
    /// not convert.</summary>
    internal abstract bool TryApply(object options, string text, out string? problem);

    /// <summary>Registers <c>IOptions&lt;T&gt;</c> configuration that sets the property to <paramref
    /// name="text"/>.</summary>
    internal abstract void Register(IServiceCollection services, string? text);
}

/// <summary>Typed <see cref="OptionsBinding"/>.</summary>
public sealed class OptionsBinding<TOptions> : OptionsBinding
    where TOptions : class, new()
{
    private readonly PropertyInfo _property;
    private readonly Func<string, object?>? _parse;

    internal OptionsBinding(string variable, Expression<Func<TOptions, object?>> member, string meaning, Func<string,
        object?>? parse = null)
        : base(variable, meaning)
    {
        _parse = parse;
        ArgumentNullException.ThrowIfNull(member);
        var body = member.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert
            ? convert.Operand
            : member.Body;
        _property = body is MemberExpression { Member: PropertyInfo info } && info.CanWrite
            ? info
            : throw new ArgumentException($"{variable}: the selector must name a settable property of "
                + $"{typeof(TOptions).Name}", nameof(member));
    }

    /// <inheritdoc />
    public override Type OptionsType => typeof(TOptions);

    /// <inheritdoc />
    public override string MemberName => _property.Name;

    /// <inheritdoc />
    public override string DefaultText => _property.GetValue(new TOptions()) switch
    {
        null => string.Empty,
        string text => text,
        System.Collections.IDictionary map => string.Join(',', map.Keys.Cast<object>().Select(k =>
            FormattableString.Invariant($"{k}={map[k]}"))),
        var value => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <inheritdoc />
    internal override bool TryApply(object options, string text, out string? problem)
    {
        if (_parse is not null)
        {
            try
            {
                _property.SetValue(options, _parse(text));
                problem = null;
                return true;
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                problem = $"{e.Message}, got '{text}'";
                return false;
            }
        }

        if (!TryConvert(text, _property.PropertyType, out var value))
        {
            problem = $"must be {Describe(_property.PropertyType)}, got '{text}'";
            return false;
        }

        _property.SetValue(options, value);
        problem = null;
        return true;
    }

    /// <inheritdoc />
    internal override bool SameValue(string left, string right)
    {
        if (string.Equals(left, right, StringComparison.Ordinal))
        {
            return true;
        }

        TOptions a = new(), b = new();
        return TryApply(a, left, out _) && TryApply(b, right, out _)
            && Equals(_property.GetValue(a), _property.GetValue(b));
    }

    /// <inheritdoc />
    internal override void Register(IServiceCollection services, string? text)
    {
        var builder = services.AddOptions<TOptions>();
        if (text is not null)
        {
            // Validated at start-up already; a value that does not convert never gets here.
            builder.Configure(options => TryApply(options, text, out _));
        }
    }

    private static bool TryConvert(string text, Type type, out object? value)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        value = null;

        // Strings and booleans go through ChangeType too (bool as bool.Parse reads it); TimeSpan is not
        // IConvertible.
        if (target == typeof(TimeSpan))
        {
            var known = TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span);
            value = span;
            return known;
        }

        try
        {
            value = Convert.ChangeType(text, target, CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            return false;
        }
    }

    private static string Describe(Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return target == typeof(bool) ? "true or false"
            : target == typeof(int) || target == typeof(long) ? "a whole number"
            : target == typeof(TimeSpan) ? "a duration like 00:10:00"
            : "a " + target.Name.ToLowerInvariant();
    }
}
