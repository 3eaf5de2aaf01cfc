using Elbo.Likelihoods;

namespace Elbo.Models;

/// <summary>A model in the registry: its name and help, what the report calls it, how to build it from its options
/// and likelihood, the rows of settings it adds to the report, and whether it is conditioned on the class label (the
/// trainer then counts the data's classes into <see cref="ModelOptions.Classes"/>).</summary>
public sealed record ModelSpec(string Name, string Help, string Title,
    Func<ModelOptions, Likelihood, Generator, LatentVariableModel> Create,
    Func<ModelOptions, IReadOnlyList<(string Label, string Value)>> ReportRows, bool Conditional = false) : ISpec
{
    /// <summary>The name.</summary>
    public override string ToString() => Name;
}

/// <summary>Models by name, so configuration files and the command line can name them. A new architecture is a file of
/// networks (as <see cref="MlpNetworks"/>) and one entry here; a new kind of model (another posterior, a conditional
/// model) a <see cref="LatentVariableModel"/> subclass too.</summary>
public static class ModelRegistry
{
    /// <summary>The table.</summary>
    public static Registry<ModelSpec> Specs { get; } = new("model",
        new("mlp", "pytorch/examples' fully connected VAE (--hidden)", "mlp VAE", Mlp(vae: true), HiddenRows),
        new("conv", "PyTorch-VAE's VanillaVAE: stride-2 conv blocks (--channels), shapes from the input", "conv VAE", Conv, ChannelRows),
        new("ae", "a plain autoencoder: the mlp networks, no sampling, no KL", "autoencoder (ae)", Mlp(vae: false), HiddenRows),
        new("cvae", "a conditional VAE: the mlp networks, encoder and decoder also see the one-hot class label (labelled data)",
            "conditional VAE (cvae)", ConditionalMlp, ConditionalRows, Conditional: true));

    /// <summary>The names, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names => Specs.Names;

    /// <summary>Builds the model <paramref name="options"/> describe, initialized from <paramref name="generator"/>.
    /// An unknown name or sizes the architecture cannot take throw a <see cref="SettingException"/>.</summary>
    public static LatentVariableModel Create(ModelOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        var spec = Specs.Get(options.Kind);
        options.Validate();
        var likelihood = LikelihoodRegistry.Create(options.Likelihood, options.Sigma, options.Table);
        return spec.Create(options, likelihood, generator);
    }

    private static Func<ModelOptions, Likelihood, Generator, LatentVariableModel> Mlp(bool vae) => (o, likelihood, g) =>
    {
        var (encoder, features) = MlpNetworks.Encoder(o.Input.Features, o.Hidden, g);
        var decoder = MlpNetworks.Decoder(o.Latent, o.Hidden, likelihood.OutputFeatures(o.Input.Features), g);
        return vae
            ? new Vae(o.Kind, o.Input, encoder, features, o.Latent, decoder, likelihood, g)
            : new Autoencoder(o.Kind, o.Input, encoder, features, o.Latent, decoder, likelihood, g);
    };

    private static LatentVariableModel ConditionalMlp(ModelOptions o, Likelihood likelihood, Generator g)
    {
        if (o.Classes < 1)
            throw new SettingException("model", "cvae needs labelled data (a class label per example), and the data have none");
        var (encoder, features) = MlpNetworks.Encoder(o.Input.Features + o.Classes, o.Hidden, g);
        var decoder = MlpNetworks.Decoder(o.Latent + o.Classes, o.Hidden, likelihood.OutputFeatures(o.Input.Features), g);
        return new ConditionalVae(o.Kind, o.Input, o.Classes, encoder, features, o.Latent, decoder, likelihood, g);
    }

    private static LatentVariableModel Conv(ModelOptions o, Likelihood likelihood, Generator g)
    {
        var (encoder, features, _, _) = ConvNetworks.Encoder(o.Input, o.Channels, g);
        var decoder = ConvNetworks.Decoder(o.Input, o.Channels, o.Latent, likelihood.ParametersPerFeature, g);
        return new Vae(o.Kind, o.Input, encoder, features, o.Latent, decoder, likelihood, g);
    }

    private static IReadOnlyList<(string, string)> HiddenRows(ModelOptions o) => [("Hidden layers", string.Join(", ", o.Hidden))];

    private static IReadOnlyList<(string, string)> ConditionalRows(ModelOptions o) =>
        [("Hidden layers", string.Join(", ", o.Hidden)), ("Conditioned on", $"{o.Classes} classes (one-hot label)")];

    private static IReadOnlyList<(string, string)> ChannelRows(ModelOptions o) => [("Conv channels", string.Join(", ", o.Channels))];
}
