using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using RunsFleet.Hosting;

namespace RunsFleet.Worker.Configuration;

/// <summary>Applies the bindings to fresh options instances and validates each with its
/// DataAnnotations, reporting problems by environment variable.</summary>
internal static class OptionsBinder
{
    /// <summary>Bound and validated options, by type; problems are added to <paramref name="reader"/>.</summary>
    public static IReadOnlyDictionary<Type, object> Bind(EnvironmentSettingsReader reader,
        IReadOnlyList<OptionsBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(bindings);
        var bound = new Dictionary<Type, object>();
        foreach (var group in bindings.GroupBy(b => b.OptionsType))
        {
            var options = Activator.CreateInstance(group.Key)
                ?? throw new InvalidOperationException($"{group.Key.Name} needs a public parameterless constructor");
            foreach (var binding in group)
            {
                var read = binding.Read(reader);
                if (read.Conflict is { } conflict)
                {
                    reader.AddProblem(read.Source!, conflict);
                }
                else if (read.Text is { } text && !binding.TryApply(options, text, out var problem))
                {
                    reader.AddProblem(Label(binding, read), problem!);
                }
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(options, new ValidationContext(options), results,
                validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    var member = result.MemberNames.FirstOrDefault() ?? string.Empty;
                    var binding = group.FirstOrDefault(b => b.MemberName == member);
                    var read = binding?.Read(reader);
                    var variable = binding is null ? $"{group.Key.Name}.{member}" : Label(binding, read!);
                    var value = read?.Text;
                    reader.AddProblem(variable,
                        $"{Describe(result.ErrorMessage, member)}{(value is null ? " (unset)" : $", got '{value}'")}");
                }
            }

            bound[group.Key] = options;
        }

        return bound;
    }

    /// <summary>Registers <c>IOptions&lt;T&gt;</c> of every bound type with the environment's values.</summary>
    public static void Register(IServiceCollection services, EnvironmentSettingsReader reader,
        IReadOnlyList<OptionsBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(bindings);
        foreach (var binding in bindings)
        {
            binding.Register(services, binding.Read(reader).Text);
        }
    }

    // A value read through an alias is reported under the setting, naming where it came from.
    private static string Label(OptionsBinding binding, AliasedValue read) =>
        read.Source is { } source && source != binding.Variable
            ? $"{binding.Variable} (read from {source})"
            : binding.Variable;

    // DataAnnotations say "The field X must be between 1 and 10080."; the problem line
    // already starts with the variable's name, so keep only "must be between 1 and 10080".
    private static string Describe(string? message, string member)
    {
        if (string.IsNullOrEmpty(message))
        {
            return "is invalid";
        }

        var prefix = $"The field {member} ";
        var text = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
        text = text.TrimEnd('.');
        return char.ToLowerInvariant(text[0]) + text[1..];
    }
}
