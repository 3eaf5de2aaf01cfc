namespace Elbo;

/// <summary>What every registry entry has: the name config files and the command line use, and a line of help.</summary>
public interface ISpec
{
    /// <summary>The registry name (e.g. "mlp", "bernoulli", "iwae").</summary>
    string Name { get; }

    /// <summary>One line for help texts.</summary>
    string Help { get; }
}

/// <summary>
/// A table of specs by name: the one place where a model, likelihood or objective name is looked up, and where an
/// unknown name becomes a <see cref="SettingException"/> naming the valid choices.
/// </summary>
public sealed class Registry<TSpec> where TSpec : class, ISpec
{
    private readonly TSpec[] _specs;

    /// <summary>A registry for the setting <paramref name="setting"/> (its config.json name) holding
    /// <paramref name="specs"/> in the order help texts list them.</summary>
    public Registry(string setting, params TSpec[] specs)
    {
        Setting = setting;
        _specs = specs;
        if (specs.Select(s => s.Name).Distinct(StringComparer.Ordinal).Count() != specs.Length)
            throw new ArgumentException($"{setting} registry: names must be unique");
    }

    /// <summary>The setting the names are values of ("model", "likelihood", "objective").</summary>
    public string Setting { get; }

    /// <summary>The specs, in help order.</summary>
    public IReadOnlyList<TSpec> All => _specs;

    /// <summary>The names, in help order.</summary>
    public IReadOnlyList<string> Names => _specs.Select(s => s.Name).ToArray();

    /// <summary>The spec named <paramref name="name"/> (exactly), or null.</summary>
    public TSpec? Find(string? name) => _specs.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    /// <summary>The spec named <paramref name="name"/>; an unknown name throws a <see cref="SettingException"/>.</summary>
    public TSpec Get(string? name) => Find(name)
        ?? throw new SettingException(Setting, $"'{name}' is unknown (choose {string.Join(", ", Names)})");

    /// <summary>"a | b | c".</summary>
    public string Choices => string.Join(" | ", Names);

    /// <summary>"a: help; b: help" — for a command-line option's description.</summary>
    public string Describe() => string.Join("; ", _specs.Select(s => $"{s.Name}: {s.Help}"));
}
