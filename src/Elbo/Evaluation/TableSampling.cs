using Elbo.Data.Tables;
using Elbo.Engine.Autograd;
using Elbo.Likelihoods;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// Synthetic rows from a model trained on a table: z ~ N(0, I), decoded, then one draw from p(x|z) per row — each
/// numeric column from its Gaussian, each boolean from its Bernoulli, each categorical column from its softmax — turned
/// back into the file's units, types and category names by <see cref="TableDecoder"/> (integers rounded, optionally
/// clipped to the training range, missing values optionally reproduced at each column's training rate). Drawing from
/// p(x|z) rather than taking its mean keeps the spread of each column: the mean of a categorical is its most likely
/// category, which would make rare categories vanish.
/// </summary>
public static class TableSampling
{
    /// <summary><paramref name="rows"/> synthetic rows of <paramref name="schema"/>'s columns, in file order.</summary>
    /// <exception cref="ArgumentException">The model does not have the tabular likelihood.</exception>
    public static Table Draw(LatentVariableModel model, TableSchema schema, int rows, Generator generator, bool clip = false,
        bool reproduceMissing = false, int batchSize = 4096)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        if (model.Likelihood is not TabularLikelihood likelihood)
            throw new ArgumentException($"{model.Kind}: synthetic rows need a model of a table (the tabular likelihood), not {model.Likelihood.Name}");
        int width = schema.Width;
        var values = new float[(long)rows * width];
        model.Eval();
        var arena = new TensorArena();
        using (GradMode.NoGrad())
            for (int start = 0; start < rows; start += batchSize)
            {
                int b = Math.Min(batchSize, rows - start);
                using (arena.Step())
                {
                    var z = Tensor.Randn(generator, b, model.Latent);
                    var output = model.Decode(z, model.LabelsInTurn(b));
                    likelihood.Draw(output, generator).CopyTo(values.AsSpan((int)((long)start * width), b * width));
                }
            }
        var options = new TableDecodeOptions { Probabilities = true, Clip = clip, ReproduceMissing = reproduceMissing };
        return TableDecoder.Decode(schema, values, rows, options, generator, "(synthetic)");
    }
}
