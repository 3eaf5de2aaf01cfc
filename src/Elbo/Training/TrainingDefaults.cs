using Elbo.Data;
using Elbo.Likelihoods;

namespace Elbo.Training;

/// <summary>
/// The defaults that follow the data when the user does not choose: the one place they are decided. The likelihood is
/// pytorch/examples' Bernoulli for IDX data and everything else Elbo ships (near-binary digits and clothes, where it is
/// the convention the reported nats compare with), and PyTorch-VAE's Gaussian — a fixed σ (1), i.e. a scaled squared
/// error — for a folder of pictures, natural images whose pixel values are intensities, not probabilities.
/// </summary>
public static class TrainingDefaults
{
    /// <summary>The likelihood for <paramref name="data"/> when none is given.</summary>
    public static LikelihoodSpec Likelihood(DatasetSplits data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return LikelihoodRegistry.Specs.Get(data.IsImageFolder ? "gaussian" : LikelihoodRegistry.Specs.All[0].Name);
    }
}
