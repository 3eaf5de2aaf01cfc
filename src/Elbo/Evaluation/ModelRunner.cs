using Elbo.Data;
using Elbo.Distributions;
using Elbo.Engine.Autograd;
using Elbo.Models;

namespace Elbo.Evaluation;

/// <summary>
/// One trained model's forward passes, call after call, into the caller's buffers: encode, decode and score a batch
/// in eval mode without gradients, allocating nothing once warm. Every result of the engine comes from this runner's
/// <see cref="TensorArena"/>, and the input tensors, the importance sampler's buffers and the score's working arrays
/// are made once per batch size and kept, so a server or a loop that calls with the same batch size again and again
/// (the steady state) allocates no managed memory per call. The numbers are those of <see cref="LatentCodes.Encode"/>,
/// <see cref="LatentDecoding.Means"/> and <see cref="ExampleScores.Compute"/> for the same inputs and noise.
/// <para>Not for concurrent use: the arena and buffers are this runner's. Use one runner per thread; runners of one
/// model share only its parameters, which eval-mode forward passes only read.</para>
/// </summary>
public sealed class ModelRunner
{
    private readonly LatentVariableModel _model;
    private readonly TensorArena _arena = new();
    private Tensor? _x, _z;                       // the inputs at the last batch size
    private ScoreBuffers? _score;
    private ImportanceSampler? _sampler;
    private int _samplerK;

    /// <summary>A runner of <paramref name="model"/> (put in eval mode here).</summary>
    public ModelRunner(LatentVariableModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        model.Eval();
    }

    /// <summary>The model this runner calls.</summary>
    public LatentVariableModel Model => _model;

    /// <summary>q(z|x) of the <paramref name="n"/> rows of <paramref name="x"/> (n × D): its location (μ, or an
    /// autoencoder's code) into <paramref name="location"/> (n × L) and, for a diagonal Gaussian, log σ² into
    /// <paramref name="logVariance"/> (n × L; pass an empty span to skip it, as a point mass must).</summary>
    /// <exception cref="ArgumentException">Buffers of the wrong size, or labels missing for a conditional model.</exception>
    public void Encode(ReadOnlySpan<float> x, int n, Span<float> location, Span<float> logVariance, ReadOnlySpan<int> labels = default)
    {
        int latent = _model.Latent;
        Check(x, n, _model.Input.Features, "x");
        Check(location, n, latent, "location");
        bool gaussian = _model.Posterior == PosteriorFamily.DiagonalGaussian;
        if (!logVariance.IsEmpty && (!gaussian || logVariance.Length != n * latent))
            throw new ArgumentException(!gaussian
                ? $"a {_model.Posterior.Name} posterior has no log-variance: pass an empty span"
                : $"logVariance holds {logVariance.Length} values, and {n} × {latent} are needed");
        CheckLabels(labels, n);
        var input = Input(ref _x, n, _model.Input.Features);
        x.CopyTo(input.Data);
        using (GradMode.NoGrad())
        using (_arena.Step())
        {
            var q = _model.Encode(input, labels);
            q.Location.Data.CopyTo(location);
            if (!logVariance.IsEmpty) ((DiagonalGaussianPosterior)q).LogVar.Data.CopyTo(logVariance);   // not Parameters: a new list per call
        }
    }

    /// <summary>The means of p(x|z) of the <paramref name="n"/> latent points of <paramref name="z"/> (n × L) into
    /// <paramref name="mean"/> (n × D); a conditional model decodes point i at class <paramref name="labels"/>[i].</summary>
    /// <exception cref="ArgumentException">Buffers of the wrong size, or labels missing for a conditional model.</exception>
    public void Decode(ReadOnlySpan<float> z, int n, Span<float> mean, ReadOnlySpan<int> labels = default)
    {
        Check(z, n, _model.Latent, "z");
        Check(mean, n, _model.Input.Features, "mean");
        CheckLabels(labels, n);
        var input = Input(ref _z, n, _model.Latent);
        z.CopyTo(input.Data);
        using (GradMode.NoGrad())
        using (_arena.Step())
            _model.Likelihood.Mean(_model.Decode(input, labels)).Data.CopyTo(mean);
    }

    /// <summary>Scores the <paramref name="n"/> rows of <paramref name="x"/> as <see cref="ExampleScores.Compute"/>
    /// does: the −ELBO per example into <paramref name="negElbo"/> (the reconstruction over <paramref name="k"/>
    /// samples of q plus the closed-form KL; an autoencoder's: −log p(x|z) at its code) and, where q has a density, the
    /// importance-weighted −log p(x) with k samples into <paramref name="negLogPx"/>, noise from
    /// <paramref name="generator"/>. Returns whether <paramref name="negLogPx"/> was filled (false for a plain
    /// autoencoder, which has no density).</summary>
    /// <exception cref="ArgumentException">Buffers of the wrong size, k below 1, or labels missing for a conditional
    /// model.</exception>
    public bool Score(ReadOnlySpan<float> x, int n, int k, Generator generator, Span<double> negElbo, Span<double> negLogPx,
        ReadOnlySpan<int> labels = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int features = _model.Input.Features;
        Check(x, n, features, "x");
        if (negElbo.Length != n) throw new ArgumentException($"negElbo holds {negElbo.Length} values, and {n} are needed");
        CheckLabels(labels, n);
        var b = _score is { Count: var count } && count == n ? _score : _score = new ScoreBuffers(_model, n);
        x.CopyTo(b.Values);
        if (labels.IsEmpty) Array.Clear(b.Labels);
        else labels.CopyTo(b.Labels);
        Encode(x, n, b.Parameters[0], b.Parameters.Length > 1 ? b.Parameters[1] : default, labels);
        if (!b.Codes.Family.HasDensity)
        {
            var input = Input(ref _x, n, features);          // Encode left x there
            var code = Input(ref _z, n, _model.Latent);
            b.Parameters[0].CopyTo(code.Data);
            using (GradMode.NoGrad())
            using (_arena.Step())
            {
                var nll = _model.Likelihood.NegLogLikelihood(_model.Decode(code, labels), input).Data;
                for (int i = 0; i < n; i++) negElbo[i] = nll[i];
            }
            return false;
        }
        if (negLogPx.Length != n) throw new ArgumentException($"negLogPx holds {negLogPx.Length} values, and {n} are needed");
        if (_sampler is null || _samplerK != k)
        {
            _sampler = new ImportanceSampler(_model, k);
            _samplerK = k;
        }
        _sampler.Run(b.Data, b.Codes, Proposal.Posterior, generator, b.Estimates);
        for (int i = 0; i < n; i++)
        {
            negElbo[i] = b.Estimates.Reconstruction[i] + b.Codes.Family.Kl(b.Codes, i);
            negLogPx[i] = -b.Estimates.LogPx[i];
        }
        return true;
    }

    /// <summary>The input tensor kept in <paramref name="slot"/>, remade only when the batch size changes.</summary>
    private static Tensor Input(ref Tensor? slot, int n, int width)
    {
        if (slot is null || slot.Dim(0) != n || slot.Dim(1) != width) slot = Tensor.Zeros(n, width);
        return slot;
    }

    private static void Check(ReadOnlySpan<float> values, int n, int width, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (values.Length != (long)n * width)
            throw new ArgumentException($"{name} holds {values.Length} values, and {n} × {width} are needed");
    }

    private void CheckLabels(ReadOnlySpan<int> labels, int n)
    {
        if (_model.IsConditional && labels.Length != n)
            throw new ArgumentException($"a conditional model needs one label per example: {n} examples, {labels.Length} labels");
        if (!_model.IsConditional && !labels.IsEmpty && labels.Length != n)
            throw new ArgumentException($"{labels.Length} labels for {n} examples");
        foreach (int label in labels)
            if (_model.IsConditional && (uint)label >= (uint)_model.Classes)
                throw new ArgumentException($"label {label} is not a class of this model (0..{_model.Classes - 1})");
    }

    /// <summary>What a score of n examples works in: the examples as a dataset, their codes and the estimates, all
    /// over arrays made once for that n.</summary>
    private sealed class ScoreBuffers
    {
        public ScoreBuffers(LatentVariableModel model, int n)
        {
            Count = n;
            Values = new float[n * model.Input.Features];
            Labels = new int[n];
            Data = new Dataset("request", Values, Labels, model.Input, "as given");
            var family = model.Posterior;
            Parameters = new float[family.ParameterNames.Count][];
            for (int p = 0; p < Parameters.Length; p++) Parameters[p] = new float[n * model.Latent];
            Codes = LatentCodes.FromArrays(family, Parameters, Labels, model.Latent);
            Estimates = new ImportanceEstimates(new double[n], new double[n], new double[n], new double[n]);
        }

        public int Count { get; }
        public float[] Values { get; }
        public int[] Labels { get; }
        public Dataset Data { get; }
        public float[][] Parameters { get; }
        public LatentCodes Codes { get; }
        public ImportanceEstimates Estimates { get; }
    }
}
