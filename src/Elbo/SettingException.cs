namespace Elbo;

/// <summary>
/// A setting has a value the library cannot use. <see cref="Setting"/> is the setting's name as config.json spells it
/// (camelCase: <c>latent</c>, <c>batchSize</c>, <c>freeBits</c>); <see cref="Problem"/> says what is wrong without
/// naming it. The library never words command-line flags: the CLI maps the setting to its flag
/// (<c>batchSize</c> → <c>--batch-size</c>). The message is "<c>setting: problem</c>".
/// </summary>
public sealed class SettingException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="setting"/>.</summary>
    public SettingException(string setting, string problem) : base($"{setting} {problem}")
    {
        Setting = setting;
        Problem = problem;
    }

    /// <summary>The setting's config.json name.</summary>
    public string Setting { get; }

    /// <summary>What is wrong with its value.</summary>
    public string Problem { get; }
}
