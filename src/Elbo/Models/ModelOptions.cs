using Elbo.Data;
namespace Elbo.Models;

/// <summary>What a model is built from: the architecture's name and sizes, and the likelihood.</summary>
/// <param name="Kind">The architecture's registry name (<see cref="ModelRegistry"/>).</param>
/// <param name="Input">The shape of one example.</param>
/// <param name="Latent">The latent dimension.</param>
/// <param name="Hidden">Hidden layer sizes of the MLP networks (encoder order; the decoder mirrors them).</param>
/// <param name="Channels">Channel counts of the conv encoder's stride-2 blocks (the decoder mirrors them).</param>
/// <param name="Likelihood">The likelihood's registry name.</param>
/// <param name="Sigma">The fixed standard deviation of the "gaussian" likelihood.</param>
/// <param name="Classes">The number of classes a conditional model sees (labels 0..Classes−1; 0 for the data's
/// unconditional models).</param>
/// <param name="Table">The column layout of table data (for the "tabular" likelihood; null for other data).</param>
public sealed record ModelOptions(string Kind, DataShape Input, int Latent, int[] Hidden, int[] Channels,
    string Likelihood = "bernoulli", float Sigma = 1f, int Classes = 0, Likelihoods.TabularLayout? Table = null)
{
    /// <summary>pytorch/examples' MLP VAE on 28×28 images: 784-400-20, Bernoulli.</summary>
    public static ModelOptions DefaultMlp(DataShape input) => new("mlp", input, 20, [400], [32, 64]);

    /// <summary>The one check of every setting, the input shape included; throws a <see cref="SettingException"/>
    /// naming the setting.</summary>
    public void Validate()
    {
        ValidateSizes();
        if (Input.Channels <= 0 || Input.Height <= 0 || Input.Width <= 0)
            throw new SettingException("input", $"shape {Input} must be positive");
        // a shape from a config.json: its values per example must be countable (DataShape.Features), not an overflow
        long planeValues = (long)Input.Height * Input.Width;
        if (planeValues > Array.MaxLength || planeValues * Input.Channels > Array.MaxLength)
            throw new SettingException("input", $"shape {Input} has more values per example than an array holds");
    }

    /// <summary>The checks of the settings a user gives (all but the input shape, which comes from the data).</summary>
    public void ValidateSizes()
    {
        if (Latent <= 0) throw new SettingException("latent", $"must be positive, got {Latent}");
        foreach (int h in Hidden)
            if (h <= 0) throw new SettingException("hidden", $"sizes must be positive, got {string.Join(",", Hidden)}");
        foreach (int c in Channels)
            if (c <= 0) throw new SettingException("channels", $"must be positive, got {string.Join(",", Channels)}");
        if (!(Sigma > 0f) || float.IsInfinity(Sigma)) throw new SettingException("sigma", $"must be a positive number, got {Sigma}");
        if (Classes < 0) throw new SettingException("classes", $"must not be negative, got {Classes}");
    }
}
