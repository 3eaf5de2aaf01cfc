using Elbo.Likelihoods;

namespace Elbo.Models;

/// <summary>Models by name, so configuration files and the command line can name them: "mlp" (pytorch/examples' VAE),
/// "conv" (PyTorch-VAE's VanillaVAE layout) and "ae" (a deterministic autoencoder with the MLP networks, no KL).</summary>
public static class ModelRegistry
{
    /// <summary>The names, in the order help texts list them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mlp", "conv", "ae"];

    /// <summary>Builds the model <paramref name="options"/> describe, initialized from <paramref name="generator"/>.
    /// Throws ArgumentException with a one-line reason for an unknown name or sizes the architecture cannot take.</summary>
    public static Vae Create(ModelOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Latent <= 0) throw new ArgumentException($"latent size must be positive, got {options.Latent}");
        var input = options.Input;
        if (input.Channels <= 0 || input.Height <= 0 || input.Width <= 0)
            throw new ArgumentException($"input shape {input} must be positive");
        var likelihood = LikelihoodRegistry.Create(options.Likelihood, options.Sigma);
        int outputs = likelihood.ParametersPerFeature * input.Features;
        switch (options.Kind)
        {
            case "mlp":
            case "ae":
            {
                var (encoder, features) = MlpNetworks.Encoder(input.Features, options.Hidden, generator);
                var decoder = MlpNetworks.Decoder(options.Latent, options.Hidden, outputs, generator);
                return new Vae(options.Kind, input, encoder, features, options.Latent, decoder, likelihood, generator,
                    deterministic: options.Kind == "ae");
            }
            case "conv":
            {
                var (encoder, features, _, _) = ConvNetworks.Encoder(input, options.Channels, generator);
                var decoder = ConvNetworks.Decoder(input, options.Channels, options.Latent, likelihood.ParametersPerFeature, generator);
                return new Vae("conv", input, encoder, features, options.Latent, decoder, likelihood, generator);
            }
            default:
                throw new ArgumentException($"unknown model '{options.Kind}' (choose {string.Join(", ", Names)})");
        }
    }
}
