namespace Elbo.Models;

/// <summary>What a model is built from: the architecture's name and sizes, and the likelihood.</summary>
/// <param name="Kind">"mlp", "conv" or "ae".</param>
/// <param name="Input">The shape of one example.</param>
/// <param name="Latent">The latent dimension.</param>
/// <param name="Hidden">Hidden layer sizes of the MLP networks (encoder order; the decoder mirrors them).</param>
/// <param name="Channels">Channel counts of the conv encoder's stride-2 blocks (the decoder mirrors them).</param>
/// <param name="Likelihood">The likelihood's registry name.</param>
/// <param name="Sigma">The fixed standard deviation of the "gaussian" likelihood.</param>
public sealed record ModelOptions(string Kind, InputShape Input, int Latent, int[] Hidden, int[] Channels,
    string Likelihood = "bernoulli", float Sigma = 1f)
{
    /// <summary>pytorch/examples' MLP VAE on 28×28 images: 784-400-20, Bernoulli.</summary>
    public static ModelOptions DefaultMlp(InputShape input) => new("mlp", input, 20, [400], [32, 64]);
}
