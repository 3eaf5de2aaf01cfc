using Elbo.Engine.Nn;
using Elbo.Engine.Onnx;

namespace Elbo.Likelihoods;

/// <summary>
/// p(x|z) for a table of mixed columns, one factor per column (as TVAE and HI-VAE): a Gaussian N(μ, σ²) for each numeric
/// column (the decoder emits μ and log σ², σ softly floored at <see cref="MinSigma"/> as TVAE clamps its σ, so a
/// column of repeated values cannot buy unbounded density), a Bernoulli for each boolean column (a logit), and a
/// categorical for each categorical column (softmax over its logits). −log p(x|z) is summed over the observed columns
/// only: a missing value (mask 0) contributes nothing, so the model is trained on what was seen (the MIWAE setting).
/// Rows and outputs are laid out as <see cref="TabularLayout"/> says.
/// </summary>
public sealed class TabularLikelihood : Likelihood
{
    /// <summary>The smallest standard deviation of a numeric column, in standardized units (TVAE clamps at 0.01).</summary>
    public const float MinSigma = 0.01f;

    private static readonly float LogMinVariance = MathF.Log(MinSigma * MinSigma);

    /// <summary>The likelihood of rows laid out as <paramref name="layout"/>.</summary>
    public TabularLikelihood(TabularLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        layout.Validate();
        Layout = layout;
    }

    /// <inheritdoc/>
    public override string Name => "tabular";

    /// <summary>How rows and outputs are laid out.</summary>
    public TabularLayout Layout { get; }

    /// <inheritdoc/>
    public override int OutputFeatures(int dataFeatures)
    {
        if (dataFeatures != Layout.InputWidth)
            throw new ArgumentException($"tabular: rows of {dataFeatures} values do not fit the table's layout ({Layout.InputWidth})");
        return Layout.OutputWidth;
    }

    /// <inheritdoc/>
    public override Tensor NegLogLikelihoodSum(Tensor output, Tensor x) => ColumnTerms(output, x).Sum();

    /// <inheritdoc/>
    public override Tensor NegLogLikelihood(Tensor output, Tensor x) => ColumnTerms(output, x).Sum(1);

    /// <summary>−log p(x_c|z) per example and column (B, N + B + C), 0 where the value is missing: the per-column
    /// breakdown of the loss, and what says which column makes a row unlikely.</summary>
    public Tensor NegLogLikelihoodPerColumn(Tensor output, Tensor x) => ColumnTerms(output, x);

    /// <summary>The effective log-variance of the numeric columns for raw decoder outputs: log(σ² + σ²_min), written
    /// log σ²_min + softplus(a − log σ²_min) so it is smooth and never below the floor.</summary>
    public static Tensor FlooredLogVariance(Tensor raw) => (raw + -LogMinVariance).Softplus() + LogMinVariance;

    /// <summary>The mean of p(x|z), laid out as a row's values (B, N + B + K₁ + … + K_C): the numeric means, the boolean
    /// probabilities and each categorical column's probabilities.</summary>
    public override Tensor Mean(Tensor output)
    {
        CheckOutput(output);
        int b = output.Dim(0), n = Layout.Numeric, nb = Layout.Boolean;
        var result = Tensor.Zeros(b, Layout.ValueWidth);
        var o = output.Data;
        var r = result.Data;
        int width = Layout.OutputWidth, values = Layout.ValueWidth;
        for (int i = 0; i < b; i++)
        {
            var row = o.Slice(i * width, width);
            var target = r.Slice(i * values, values);
            row[..n].CopyTo(target);
            for (int j = 0; j < nb; j++) target[n + j] = 1f / (1f + MathF.Exp(-row[2 * n + j]));
            for (int c = 0; c < Layout.Categorical; c++)
            {
                int at = Layout.CategoryOffset(c), k = Layout.Categories[c];
                Softmax(row.Slice(n + at, k), target.Slice(at, k));
            }
        }
        return result;
    }

    /// <summary>The graph form of <see cref="Mean(Tensor)"/>: the numeric means as they are, Sigmoid of the boolean
    /// logits, a Softmax over each categorical column's logits, concatenated in the row's order.</summary>
    public override OnnxValue ExportMean(OnnxGraph graph, OnnxValue output)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(output);
        if (output.Rank != 2 || output.Dim(1) != Layout.OutputWidth)
            throw new OnnxExportException($"tabular: decoder output {output.ShapeString} does not fit the table's layout (need (B,{Layout.OutputWidth}))");
        int n = Layout.Numeric, nb = Layout.Boolean;
        var parts = new List<OnnxValue>(2 + Layout.Categorical);
        if (n > 0) parts.Add(graph.Narrow(output, 1, 0, n, "mean/numeric"));
        if (nb > 0) parts.Add(graph.Unary("Sigmoid", graph.Narrow(output, 1, 2 * n, nb, "mean/boolean_logits"), "mean/boolean"));
        for (int c = 0; c < Layout.Categorical; c++)
        {
            var logits = graph.Narrow(output, 1, n + Layout.CategoryOffset(c), Layout.Categories[c], $"mean/categorical_{c}_logits");
            parts.Add(graph.Softmax(logits, 1, $"mean/categorical_{c}"));
        }
        return graph.Concat(parts, 1, "mean");
    }

    /// <summary>A draw from p(x|z) for each row of <paramref name="output"/>, laid out as a row's values: numeric μ + σε,
    /// booleans 0 or 1, one category per categorical column as a one-hot.</summary>
    public float[] Draw(Tensor output, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        CheckOutput(output);
        int b = output.Dim(0), n = Layout.Numeric, nb = Layout.Boolean, width = Layout.OutputWidth, values = Layout.ValueWidth;
        var result = new float[b * values];
        var probabilities = new float[Layout.Categories.DefaultIfEmpty(0).Max()];
        var noise = new float[Math.Max(n, 1)];
        var o = output.Data;
        for (int i = 0; i < b; i++)
        {
            var row = o.Slice(i * width, width);
            var target = result.AsSpan(i * values, values);
            generator.FillNormal(noise);
            for (int j = 0; j < n; j++)
            {
                float logVariance = LogMinVariance + Softplus(row[n + j] - LogMinVariance);
                target[j] = row[j] + MathF.Exp(0.5f * logVariance) * noise[j];
            }
            for (int j = 0; j < nb; j++)
                target[n + j] = generator.NextFloat() < 1f / (1f + MathF.Exp(-row[2 * n + j])) ? 1f : 0f;
            for (int c = 0; c < Layout.Categorical; c++)
            {
                int at = Layout.CategoryOffset(c), k = Layout.Categories[c];
                var p = probabilities.AsSpan(0, k);
                Softmax(row.Slice(n + at, k), p);
                float u = generator.NextFloat(), cumulative = 0;
                int chosen = k - 1;
                for (int m = 0; m < k; m++)
                {
                    cumulative += p[m];
                    if (u < cumulative) { chosen = m; break; }
                }
                target[at + chosen] = 1f;
            }
        }
        return result;
    }

    // (B, N + B + C): the masked per-column terms.
    private Tensor ColumnTerms(Tensor output, Tensor x)
    {
        CheckOutput(output);
        if (x.Rank != 2 || x.Dim(0) != output.Dim(0) || x.Dim(1) != Layout.InputWidth)
            throw new ArgumentException($"tabular: data {x.ShapeString} do not fit the table's layout (need (B,{Layout.InputWidth}) for output {output.ShapeString})");
        int n = Layout.Numeric, nb = Layout.Boolean, values = Layout.ValueWidth;
        var mask = x.Narrow(1, values, Layout.Columns);
        var terms = new List<Tensor>(3);
        if (n > 0)
        {
            var logVariance = FlooredLogVariance(output.Narrow(1, n, n));
            terms.Add(Functional.GaussianNllLoss(output.Narrow(1, 0, n), logVariance, x.Narrow(1, 0, n), Reduction.None) * mask.Narrow(1, 0, n));
        }
        if (nb > 0)
            terms.Add(Functional.BinaryCrossEntropyWithLogits(output.Narrow(1, 2 * n, nb), x.Narrow(1, n, nb), Reduction.None) * mask.Narrow(1, n, nb));
        if (Layout.Categorical > 0)
        {
            var columns = new Tensor[Layout.Categorical];
            for (int c = 0; c < columns.Length; c++)
            {
                int at = Layout.CategoryOffset(c), k = Layout.Categories[c];
                var logits = output.Narrow(1, n + at, k);
                // −log softmax(ℓ)_y = logsumexp(ℓ) − ℓ_y, with ℓ_y = Σ ℓ ⊙ one-hot (0 for a missing value's zero one-hot)
                var term = logits.LogSumExp(1, keepDim: true) - (logits * x.Narrow(1, at, k)).Sum(1, keepDim: true);
                columns[c] = term * mask.Narrow(1, n + nb + c, 1);
            }
            terms.Add(columns.Length == 1 ? columns[0] : Tensor.Concat(columns, 1));
        }
        return terms.Count == 1 ? terms[0] : Tensor.Concat(terms.ToArray(), 1);
    }

    private void CheckOutput(Tensor output)
    {
        if (output.Rank != 2 || output.Dim(1) != Layout.OutputWidth)
            throw new ArgumentException($"tabular: decoder output {output.ShapeString} does not fit the table's layout (need (B,{Layout.OutputWidth}))");
    }

    private static float Softplus(float v) => v > 20f ? v : MathF.Log(1f + MathF.Exp(v));

    private static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = MathF.Max(max, v);
        float sum = 0;
        for (int m = 0; m < logits.Length; m++) sum += probabilities[m] = MathF.Exp(logits[m] - max);
        for (int m = 0; m < logits.Length; m++) probabilities[m] /= sum;
    }
}
