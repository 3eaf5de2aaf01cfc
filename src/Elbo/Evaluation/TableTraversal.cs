using Elbo.Data;
using Elbo.Data.Tables;
using Elbo.Engine.Autograd;
using Elbo.Likelihoods;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>A traversal of a table run, as rows rather than pictures: for each swept latent dimension and each value
/// of the sweep, the decoded row (numeric means, the most likely category and boolean) in the file's units, with two
/// leading columns, <c>dimension</c> and <c>z</c>, saying where in the sweep it is.</summary>
public static class TableTraversal
{
    /// <summary>The decoded rows around the location of q for example <paramref name="index"/> of
    /// <paramref name="data"/>, sweeping <paramref name="dims"/> over [−range, range] in <paramref name="steps"/> values.</summary>
    public static Table Rows(LatentVariableModel model, TableSchema schema, Dataset data, int[] dims, float range, int steps, int index)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(dims);
        if (model.Likelihood is not TabularLikelihood likelihood)
            throw new ArgumentException($"{model.Kind}: a table traversal needs the tabular likelihood, not {model.Likelihood.Name}");
        if (index < 0 || index >= data.Count) throw new ArgumentException($"--index {index} is outside the test data (0..{data.Count - 1})");
        var one = new Dataset(data.Name, data.Image(index), [data.Label(index)], data.Shape, data.Normalization);
        var codes = LatentCodes.Encode(model, one);
        var z = Traversal.Grid(codes.MuOf(0), dims, range, steps);
        int n = dims.Length * steps;
        float[] means;
        model.Eval();
        using (GradMode.NoGrad())
        {
            var batch = Tensor.Zeros(n, model.Latent);
            z.AsSpan(0, n * model.Latent).CopyTo(batch.Data);
            means = likelihood.Mean(model.Decode(batch, model.IsConditional ? Enumerable.Repeat(data.Label(index), n).ToArray() : default)).ToArray();
        }
        var decoded = TableDecoder.Decode(schema, means, n, new TableDecodeOptions { Probabilities = true }, source: "(traversal)");
        var values = Traversal.Values(range, steps);
        var dimension = new double[n];
        var position = new double[n];
        for (int d = 0; d < dims.Length; d++)
            for (int s = 0; s < steps; s++)
            {
                dimension[d * steps + s] = dims[d];
                position[d * steps + s] = values[s];
            }
        return new Table("(traversal)", [TableColumn.FromNumbers("dimension", dimension, true), TableColumn.FromNumbers("z", position), .. decoded.Columns]);
    }
}
