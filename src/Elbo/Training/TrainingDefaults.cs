using Elbo.Data;
using Elbo.Likelihoods;

namespace Elbo.Training;

/// <summary>
/// The defaults that follow the data when the user does not choose: the one place they are decided. The likelihood is
/// pytorch/examples' Bernoulli for IDX data and everything else Elbo ships (near-binary digits and clothes, where it is
/// the convention the reported nats compare with), and PyTorch-VAE's Gaussian — a fixed σ (1), i.e. a scaled squared
/// error — for a folder of pictures, natural images whose pixel values are intensities, not probabilities, and for data
/// with values outside [0, 1] (the 2-D ring), which a distribution over [0, 1] cannot describe. A table file
/// takes the tabular likelihood (a factor per column, missing values skipped), and only it: its rows hold one-hot
/// categories and observation flags that no per-value likelihood describes.
/// </summary>
public static class TrainingDefaults
{
    /// <summary>The likelihood for <paramref name="data"/> when none is given.</summary>
    public static LikelihoodSpec Likelihood(DatasetSplits data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.TableSchema is not null) return LikelihoodRegistry.Specs.Get(Tabular);
        bool unit = data.Train.InUnitInterval() && data.Test.InUnitInterval();   // the 2-D ring's points are not
        return LikelihoodRegistry.Specs.Get(data.IsImageFolder || !unit ? "gaussian" : LikelihoodRegistry.Specs.All[0].Name);
    }

    /// <summary>The likelihood of table files.</summary>
    public const string Tabular = "tabular";

    /// <summary>Throws a <see cref="SettingException"/> when <paramref name="likelihood"/> cannot model <paramref name="data"/>:
    /// anything but the tabular likelihood for a table file, or a likelihood over [0, 1] for data outside it.</summary>
    public static void CheckLikelihood(LikelihoodSpec likelihood, DatasetSplits data)
    {
        ArgumentNullException.ThrowIfNull(likelihood);
        ArgumentNullException.ThrowIfNull(data);
        if (data.TableSchema is not null && likelihood.Name != Tabular)
            throw new SettingException("likelihood", $"{likelihood.Name} does not fit a table file: its rows take the {Tabular} likelihood (a factor per column)");
        // a distribution over [0, 1] on values outside it is not a likelihood: its "−ELBO" would be a meaningless number
        if (likelihood.UnitInterval && !(data.Train.InUnitInterval() && data.Test.InUnitInterval()))
            throw new SettingException("likelihood",
                $"{likelihood.Name} models values in [0, 1], and the data {data.Train.Name} has values outside it; use gaussian or gaussian-learned");
    }
}
