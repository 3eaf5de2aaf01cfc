using Elbo.Data;
using Elbo.Engine.Autograd;
using Elbo.Imaging;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// Two trained models side by side — typically a VAE and a plain autoencoder of the same latent size: decodes of the
/// same draws z ~ N(0, I) from both (a VAE gives plausible data, an autoencoder mostly noise, because nothing made its
/// codes fill the prior) and the statistics of both models' encodings against N(0, I).
/// </summary>
public static class ModelComparison
{
    /// <summary>Checks that two models can be compared on the same draws: same latent size and same input shape.
    /// Throws ArgumentException naming the difference.</summary>
    public static void CheckCompatible(LatentVariableModel first, LatentVariableModel second, string firstName, string secondName)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Latent != second.Latent)
            throw new ArgumentException($"{firstName} has {first.Latent} latent dimensions and {secondName} {second.Latent}: the same z cannot be decoded by both");
        if (first.Input != second.Input)
            throw new ArgumentException($"{firstName} models {first.Input} data and {secondName} {second.Input}");
    }

    /// <summary>The same <paramref name="count"/> draws z ~ N(0, I) (from <paramref name="seed"/>) decoded by each model
    /// (means of p(x|z)), each model's grid <paramref name="columns"/> tiles wide, the grids side by side. A conditional
    /// model decodes its draws at its classes in turn.</summary>
    public static Image PriorDecodes(IReadOnlyList<LatentVariableModel> models, int count, ulong seed, int columns = 8, int scale = 2)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("no models to compare", nameof(models));
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var input = models[0].Input;
        if (!input.IsImage)
            throw new ArgumentException($"the models' data ({input}) are not images: nothing to draw");
        var shape = input;
        var z = Tensor.Randn(new Generator(seed), count, models[0].Latent);
        var grids = new List<Image>(models.Count);
        using (GradMode.NoGrad())
            foreach (var model in models)
            {
                model.Eval();
                var decoded = model.Likelihood.Mean(model.Decode(z, model.LabelsInTurn(count)));
                grids.Add(ImageGrid.Compose(decoded, Math.Min(columns, count), shape, scale: scale));
            }
        return ImageLayout.Beside(grids, gap: 8 * scale, background: 0);
    }
}
