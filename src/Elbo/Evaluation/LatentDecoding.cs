using Elbo.Engine.Autograd;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>A model's decoder on plain arrays, in eval mode without gradients: the means of p(x|z) for latent points,
/// and the reconstructions of examples (the means at the location of q). The one home of these two calls for every
/// caller that holds arrays — the latent pictures, <see cref="Api.ElboModel"/> and <c>elbo serve</c>. Each call
/// allocates its own tensors and reads the model's parameters only, so calls from several threads at once are safe
/// (see docs/serve.md, Concurrency).</summary>
public static class LatentDecoding
{
    /// <summary>The means E[x|z] for the latent points <paramref name="z"/> (n × L row-major), as n × D; a conditional
    /// model decodes point i at class <paramref name="labels"/>[i].</summary>
    /// <exception cref="ArgumentException">Fewer than n × L values, or labels a conditional model cannot use.</exception>
    public static float[] Means(LatentVariableModel model, ReadOnlySpan<float> z, int n, ReadOnlySpan<int> labels = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (z.Length < (long)n * model.Latent)
            throw new ArgumentException($"{z.Length} values are fewer than {n} latent points of {model.Latent}", nameof(z));
        model.Eval();
        using (GradMode.NoGrad())
        {
            var batch = Tensor.Zeros(n, model.Latent);
            z[..(n * model.Latent)].CopyTo(batch.Data);
            return model.Likelihood.Mean(model.Decode(batch, labels)).Data.ToArray();
        }
    }

    /// <summary>The reconstructions of the examples <paramref name="x"/> (n × D row-major, D = the model's input
    /// features): the means of p(x|z) at the location of q(z|x), as n × D; a conditional model encodes and decodes
    /// example i at class <paramref name="labels"/>[i].</summary>
    /// <exception cref="ArgumentException">Fewer than n × D values, or labels a conditional model cannot use.</exception>
    public static float[] Reconstructions(LatentVariableModel model, ReadOnlySpan<float> x, int n, ReadOnlySpan<int> labels = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        int d = model.Input.Features;
        if (x.Length < (long)n * d)
            throw new ArgumentException($"{x.Length} values are fewer than {n} examples of {d} ({model.Input})", nameof(x));
        model.Eval();
        using (GradMode.NoGrad())
        {
            var batch = Tensor.Zeros(n, d);
            x[..(n * d)].CopyTo(batch.Data);
            return model.Reconstruct(batch, labels).Data.ToArray();
        }
    }
}
