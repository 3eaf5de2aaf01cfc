using Elbo.Data;
using Elbo.Engine.Autograd;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// Importance-sampled estimates of log p(x) = log E_{z~r}[p(x|z) p(z) / r(z)] with k samples z_k from a proposal r:
/// log p̂(x) = logmeanexp_k log w_k, in double with a max shift. With r = q(z|x) this is the IWAE bound (Burda et al.
/// 2015): below log p(x) in expectation, rising towards it as k grows, and never below the k-sample ELBO.
/// Work is batched: each example's row is replicated so one <see cref="LatentVariableModel.Decode"/> call decodes up to
/// <c>rowsPerCall</c> samples (several examples when k is small, chunks of one example's k when it is large),
/// under <see cref="GradMode.NoGrad"/> with a <see cref="TensorArena"/> so the steady state allocates nothing.
/// The numbers are reproducible for a seed and <c>rowsPerCall</c> (the noise is drawn per call, in blocks).
/// </summary>
public static class ImportanceSampling
{
    /// <summary>Estimates log p(x) for the first <c>codes.Count</c> examples of <paramref name="data"/>, whose
    /// encodings are <paramref name="codes"/> (needed for <see cref="Proposal.Posterior"/>; ignored for the prior).
    /// <paramref name="progress"/> receives a line about every 10 % of the examples, prefixed by
    /// <paramref name="label"/>.</summary>
    public static ImportanceEstimates Estimate(LatentVariableModel model, Dataset data, LatentCodes codes, int k, Proposal proposal,
        Generator generator, int rowsPerCall = 2048, IProgress<string>? progress = null, string label = "importance sampling")
    {
        ArgumentNullException.ThrowIfNull(codes);
        int n = codes.Count;
        var result = new ImportanceEstimates(new double[n], new double[n], new double[n], new double[n]);
        new ImportanceSampler(model, k, rowsPerCall).Run(data, codes, proposal, generator, result, progress, label);
        return result;
    }
}

/// <summary>
/// The work of <see cref="ImportanceSampling.Estimate"/> with its buffers kept: one sampler for one model, k and
/// rows per call runs estimate after estimate without allocating once its buffers have grown to the batch (what a
/// server scoring request after request needs). Not for concurrent use: one per thread.
/// </summary>
internal sealed class ImportanceSampler
{
    private readonly LatentVariableModel _model;
    private readonly int _k, _examplesPerCall, _samplesPerCall;
    private readonly double[] _logW, _nll;
    private readonly float[] _eps;
    private readonly int[] _rowLabels;
    private readonly TensorArena _arena = new();
    private readonly Tensor?[] _xBuffers = new Tensor?[2];
    private readonly Tensor?[] _zBuffers = new Tensor?[2];
    private float[] _image = [];

    public ImportanceSampler(LatentVariableModel model, int k, int rowsPerCall = 2048)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerCall, 1);
        _model = model;
        _k = k;
        _examplesPerCall = Math.Max(1, rowsPerCall / k);      // whole examples per call when k is small
        _samplesPerCall = Math.Min(k, rowsPerCall);           // else chunks of one example's samples
        _logW = new double[(long)_examplesPerCall * k];
        _nll = new double[(long)_examplesPerCall * k];
        _eps = new float[_samplesPerCall * model.Latent];
        _rowLabels = new int[_examplesPerCall * _samplesPerCall];     // the example's label on each of its rows
    }

    /// <summary>Fills <paramref name="into"/> (arrays of at least <c>codes.Count</c>) for the first
    /// <c>codes.Count</c> examples of <paramref name="data"/>.</summary>
    public void Run(Dataset data, LatentCodes codes, Proposal proposal, Generator generator, ImportanceEstimates into,
        IProgress<string>? progress = null, string label = "importance sampling")
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(into);
        var model = _model;
        if (proposal == Proposal.Posterior && !codes.Family.HasDensity)
            throw new ArgumentException($"{model.Kind}: the posterior proposal needs q(z|x) with a density, and a {codes.Family.Name} has none");
        if (codes.Count > data.Count || codes.Latent != model.Latent)
            throw new ArgumentException($"latent codes of {codes.Count}×{codes.Latent} do not fit {data.Count} examples and latent {model.Latent}");

        int n = codes.Count, latent = model.Latent, features = data.Features, k = _k;
        int examplesPerCall = _examplesPerCall, samplesPerCall = _samplesPerCall;
        if (into.LogPx.Length < n || into.EffectiveSampleSize.Length < n || into.Reconstruction.Length < n || into.MeanLogWeight.Length < n)
            throw new ArgumentException($"the estimates' arrays are shorter than the {n} examples");
        var (logPx, ess, reconstruction, meanLogWeight) = (into.LogPx, into.EffectiveSampleSize, into.Reconstruction, into.MeanLogWeight);
        var (logW, nll, eps, rowLabels, arena) = (_logW, _nll, _eps, _rowLabels, _arena);
        if (_image.Length != features) _image = new float[features];
        var image = _image;
        int reported = 0;

        model.Eval();
        using (GradMode.NoGrad())
            for (int first = 0; first < n; first += examplesPerCall)
            {
                int examples = Math.Min(examplesPerCall, n - first);
                for (int s0 = 0; s0 < k; s0 += samplesPerCall)
                {
                    int samples = Math.Min(samplesPerCall, k - s0);
                    int rows = examples * samples;
                    using (arena.Step())
                    {
                        // one pair of inputs for full calls, one for a short (last) call: allocated once each
                        int slot = rows == examplesPerCall * samplesPerCall ? 0 : 1;
                        if (_xBuffers[slot]?.Dim(0) != rows || _xBuffers[slot]!.Dim(1) != features)
                        {
                            _xBuffers[slot] = Tensor.Zeros(rows, features);
                            _zBuffers[slot] = Tensor.Zeros(rows, latent);
                        }
                        var x = _xBuffers[slot]!;
                        var z = _zBuffers[slot]!;
                        var xs = x.Data;
                        var zs = z.Data;
                        for (int e = 0; e < examples; e++)
                        {
                            int i = first + e;
                            data.CopyImage(i, image);
                            var epsSpan = eps.AsSpan(0, samples * latent);
                            generator.FillNormal(epsSpan);
                            for (int s = 0; s < samples; s++)
                            {
                                int row = e * samples + s;
                                image.CopyTo(xs.Slice(row * features, features));
                                rowLabels[row] = codes.Labels[i];
                                var zRow = zs.Slice(row * latent, latent);
                                var epsRow = epsSpan.Slice(s * latent, latent);
                                long at = (long)e * k + s0 + s;
                                if (proposal == Proposal.Posterior) logW[at] = codes.Family.Draw(codes, i, epsRow, zRow);
                                else
                                {
                                    epsRow.CopyTo(zRow);
                                    logW[at] = 0;         // the prior is the proposal: p(z)/r(z) = 1
                                }
                            }
                        }
                        var negLogLikelihood = model.Likelihood.NegLogLikelihood(model.Decode(z, rowLabels.AsSpan(0, rows)), x).Data;
                        for (int e = 0; e < examples; e++)
                            for (int s = 0; s < samples; s++)
                            {
                                long at = (long)e * k + s0 + s;
                                double v = negLogLikelihood[e * samples + s];
                                nll[at] = v;
                                logW[at] -= v;
                            }
                    }
                }
                for (int e = 0; e < examples; e++)
                {
                    var w = logW.AsSpan(e * k, k);
                    int i = first + e;
                    logPx[i] = LogWeights.LogMeanExp(w);
                    ess[i] = LogWeights.EffectiveSampleSize(w);
                    double sumNll = 0, sumW = 0;
                    for (int s = 0; s < k; s++)
                    {
                        sumNll += nll[(long)e * k + s];
                        sumW += w[s];
                    }
                    reconstruction[i] = sumNll / k;
                    meanLogWeight[i] = sumW / k;
                }
                int done = first + examples;
                if (progress != null && (done * 10L / n > reported || done == n))
                {
                    reported = (int)(done * 10L / n);
                    progress.Report($"{label}: {done}/{n} examples ({100L * done / n} %)");
                }
            }
    }
}
