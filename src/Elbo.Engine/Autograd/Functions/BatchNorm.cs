using System.Numerics;
using System.Numerics.Tensors;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>Batch normalization over dimension 1 (PyTorch's batch_norm). The input is viewed as (N, C, S) with S the
/// product of the dimensions after 1, so each channel has M = N·S values. Training normalizes with the batch mean and
/// biased variance and updates the running statistics in place; eval normalizes with the running statistics.</summary>
internal sealed class BatchNormFunction : Function
{
    public static readonly BatchNormFunction Instance = new();
    public override string Name => "batch_norm";

    // x (N,C) or (N,C,H,W); runningMean, runningVar, weight, bias (C); y like x
    // y = (x − μ_c)·invstd_c·w_c + b_c, invstd = 1/√(σ²+eps); saved: μ (C), invstd (C)
    // With leakySlope: y = leaky_relu(batch_norm(x)) in one op (BatchNorm2d followed by LeakyReLU in a Sequential):
    // the same floats as the two ops, with two passes over the activation less forward and three less backward, and no
    // intermediate tensor (backward recomputes u = x·scale + shift, the pre-activation, from x).
    public static Tensor Forward(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum, float eps, float? leakySlope = null)
    {
        Check(x, runningMean, runningVar, weight, bias, training);
        int n = x.Dim(0), c = x.Dim(1), s = Shapes.Product(x.Shape, 2, x.Rank);
        var y = Tensor.Result(x.Shape);
        var mean = Tensor.Result([c]);
        var invStd = Tensor.Result([c]);
        var body = new ForwardChannels
        {
            X = x.Storage, Y = y.Storage, Mean = mean.Storage, InvStd = invStd.Storage,
            RunningMean = runningMean.Storage, RunningVar = runningVar.Storage,
            Weight = weight?.Storage, Bias = bias?.Storage,
            N = n, C = c, S = s, Training = training, Momentum = momentum, Eps = eps,
            Leaky = leakySlope.HasValue, Slope = leakySlope ?? 0f,
        };
        ForChannels(c, x.Numel, ref body);
        if (y.Record(Instance, x, weight, bias))
        {
            y.Saved0 = mean;
            y.Saved1 = invStd;
            y.IArg0 = training ? 1 : 0;
            y.IArg1 = leakySlope.HasValue ? 1 : 0;
            y.FArg0 = leakySlope ?? 0f;
        }
        return y;
    }

    private static void Check(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias, bool training)
    {
        const string op = "batch_norm";
        if (x.Rank < 2 || x.Rank > 4)
            throw new ArgumentException($"{op}: input {x.ShapeString} must be (N,C), (N,C,L) or (N,C,H,W)");
        int c = x.Dim(1);
        CheckVector(op, "running_mean", runningMean, c, x);
        CheckVector(op, "running_var", runningVar, c, x);
        if (weight != null) CheckVector(op, "weight", weight, c, x);
        if (bias != null) CheckVector(op, "bias", bias, c, x);
        if (training && x.Numel / Math.Max(c, 1) <= 1)
            throw new ArgumentException($"{op}: input {x.ShapeString}: expected more than 1 value per channel when training");
    }

    private static void CheckVector(string op, string what, Tensor t, int c, Tensor x)
    {
        if (t.Rank != 1 || t.Dim(0) != c)
            throw new ArgumentException($"{op}: {what} {t.ShapeString} does not match the {c} channels of input {x.ShapeString} (need ({c},))");
    }

    /// <summary>Σ (x − shift)².</summary>
    private static double SumSquaredDeviation(ReadOnlySpan<float> x, float shift)
    {
        var acc = Vector<float>.Zero;
        var sv = new Vector<float>(shift);
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var d = new Vector<float>(x.Slice(i)) - sv;
            acc += d * d;
        }
        double s = Vector.Sum(acc);
        for (; i < x.Length; i++)
        {
            float d = x[i] - shift;
            s += d * d;
        }
        return s;
    }

    // With x̂ = (x − μ)·invstd, per channel: dw = Σ dy·x̂, db = Σ dy.
    // Training: dx = w·invstd·(dy − Σdy/M − x̂·Σ(dy·x̂)/M) = A·dy + B·x + C0 with A = w·invstd,
    //   B = −A·invstd²·Σdy(x−μ)/M, C0 = −A·Σdy/M − B·μ.   Eval (statistics constant): dx = A·dy.
    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        var weight = y.In1;
        var bias = y.In2;
        bool training = y.IArg0 != 0;
        int n = x.Dim(0), c = x.Dim(1), s = Shapes.Product(x.Shape, 2, x.Rank);
        bool needX = x.RequiresGrad, needW = weight != null && weight.RequiresGrad, needB = bias != null && bias.RequiresGrad;
        var body = new BackwardChannels
        {
            X = x.Storage, DY = y.Grad!.Storage, Mean = y.Saved0!.Storage, InvStd = y.Saved1!.Storage, Weight = weight?.Storage,
            Bias = bias?.Storage, N = n, C = c, S = s, Training = training, Leaky = y.IArg1 != 0, Slope = y.FArg0,
        };
        if (needX) { body.XOver = x.GradTarget().Overwrite; body.DX = x.Grad!.Storage; }
        if (needW) { body.WOver = weight!.GradTarget().Overwrite; body.DW = weight.Grad!.Storage; }
        if (needB) { body.BOver = bias!.GradTarget().Overwrite; body.DB = bias.Grad!.Storage; }
        ForChannels(c, x.Numel, ref body);
    }

    // Channels are independent (each reads and writes only its own planes and statistics), so they split over the
    // threads; a tensor too small to pay for a dispatch runs on the caller. Either way each channel's sums run in the
    // same order, so the result does not depend on the thread count.
    private static void ForChannels<T>(int channels, int numel, ref T body) where T : struct, IParallelBody
    {
        if (numel < ParallelThreshold)
            for (int ch = 0; ch < channels; ch++) body.Invoke(ch);
        else ParallelRunner.For(channels, ref body);
    }

    private const int ParallelThreshold = 1 << 15;

    // One channel of the forward: batch statistics (two passes: the mean, then Σ(x − μ)², in double across planes)
    // or the running ones, then y = x·scale + shift in one pass.
    private struct ForwardChannels : IParallelBody
    {
        public float[] X, Y, Mean, InvStd, RunningMean, RunningVar;
        public float[]? Weight, Bias;
        public int N, C, S;
        public bool Training, Leaky;
        public float Momentum, Eps, Slope;

        public readonly void Invoke(int ch)
        {
            int s = S, m = N * s;
            float mu, inv;
            if (Training)
            {
                double sum = 0;
                for (int i = 0; i < N; i++) sum += TensorPrimitives.Sum(X.AsSpan((i * C + ch) * s, s));
                mu = (float)(sum / m);
                double sq = 0;
                for (int i = 0; i < N; i++) sq += SumSquaredDeviation(X.AsSpan((i * C + ch) * s, s), mu);
                double var = sq / m;
                inv = (float)(1.0 / Math.Sqrt(var + Eps));
                RunningMean[ch] = (1f - Momentum) * RunningMean[ch] + Momentum * mu;
                RunningVar[ch] = (1f - Momentum) * RunningVar[ch] + Momentum * (float)(sq / (m - 1));
            }
            else
            {
                mu = RunningMean[ch];
                inv = 1f / MathF.Sqrt(RunningVar[ch] + Eps);
            }
            Mean[ch] = mu;
            InvStd[ch] = inv;
            float scale = inv * (Weight != null ? Weight[ch] : 1f);
            float shift = (Bias != null ? Bias[ch] : 0f) - mu * scale;
            for (int i = 0; i < N; i++)
            {
                int off = (i * C + ch) * s;
                if (Leaky) Affine(X.AsSpan(off, s), scale, shift, Y.AsSpan(off, s), new ThenLeakyRelu(Slope));
                else Affine(X.AsSpan(off, s), scale, shift, Y.AsSpan(off, s), new Linear());
            }
        }
    }

    // One channel of the backward: Σdy and Σdy·(x − μ) in one pass, then dx = A·dy + B·x + C0 in one pass.
    private struct BackwardChannels : IParallelBody
    {
        public float[] X, DY, Mean, InvStd;
        public float[]? Weight, Bias, DX, DW, DB;
        public bool XOver, WOver, BOver, Training, Leaky;
        public int N, C, S;
        public float Slope;

        public readonly void Invoke(int ch)
        {
            if (Leaky) Invoke(ch, new ThroughLeakyRelu(Slope));
            else Invoke(ch, new Direct());
        }

        // du: the gradient at the normalized output u, from the op's output gradient dy (and x, to recompute u)
        private readonly void Invoke<TGrad>(int ch, TGrad du) where TGrad : struct, IOutputGradient
        {
            int s = S, m = N * s;
            float mu = Mean[ch], inv = InvStd[ch];
            float scale = inv * (Weight != null ? Weight[ch] : 1f);
            float shift = (Bias != null ? Bias[ch] : 0f) - mu * scale;
            double sdy = 0, sdyx = 0;
            if (DW != null || DB != null || (DX != null && Training))
                for (int i = 0; i < N; i++)
                {
                    int off = (i * C + ch) * s;
                    SumAndDotDeviation(DY.AsSpan(off, s), X.AsSpan(off, s), mu, scale, shift, du, out double a, out double b);
                    sdy += a;
                    sdyx += b;
                }
            if (DW != null)
            {
                float v = (float)(sdyx * inv);
                DW[ch] = WOver ? v : DW[ch] + v;
            }
            if (DB != null) DB[ch] = BOver ? (float)sdy : DB[ch] + (float)sdy;
            if (DX == null) return;
            float a0 = inv * (Weight != null ? Weight[ch] : 1f);
            float b0 = Training ? (float)(-a0 * inv * inv * sdyx / m) : 0f;
            float c0 = Training ? (float)(-a0 * sdy / m) - b0 * mu : 0f;
            for (int i = 0; i < N; i++)
            {
                int off = (i * C + ch) * s;
                InputGradient(DY.AsSpan(off, s), X.AsSpan(off, s), a0, b0, c0, DX.AsSpan(off, s), XOver, scale, shift, du);
            }
        }
    }

    /// <summary>y = act(x·scale + shift), rounded after the product and after the sum as two separate ops would be,
    /// with act the identity or leaky_relu.</summary>
    private static void Affine<TAct>(ReadOnlySpan<float> x, float scale, float shift, Span<float> y, TAct act) where TAct : struct, IActivation
    {
        var sv = new Vector<float>(scale);
        var tv = new Vector<float>(shift);
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            act.Apply(new Vector<float>(x.Slice(i)) * sv + tv).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] = act.Apply(x[i] * scale + shift);
    }

    /// <summary>Σ du and Σ du·(x − mean), in one pass, du from dy (and u = x·scale + shift) by <paramref name="du"/>.</summary>
    private static void SumAndDotDeviation<TGrad>(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float mean, float scale, float shift,
        TGrad du, out double sum, out double dot) where TGrad : struct, IOutputGradient
    {
        var accSum = Vector<float>.Zero;
        var accDot = Vector<float>.Zero;
        var mv = new Vector<float>(mean);
        var sv = new Vector<float>(scale);
        var tv = new Vector<float>(shift);
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var xv = new Vector<float>(x.Slice(i));
            var d = du.At(new Vector<float>(dy.Slice(i)), xv, sv, tv);
            accSum += d;
            accDot += d * (xv - mv);
        }
        sum = Vector.Sum(accSum);
        dot = Vector.Sum(accDot);
        for (; i < x.Length; i++)
        {
            float d = du.At(dy[i], x[i], scale, shift);
            sum += d;
            dot += d * (x[i] - mean);
        }
    }

    /// <summary>dx (=, +=) a·du + b·x + c, in one pass.</summary>
    private static void InputGradient<TGrad>(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float a, float b, float c, Span<float> dx,
        bool overwrite, float scale, float shift, TGrad du) where TGrad : struct, IOutputGradient
    {
        var av = new Vector<float>(a);
        var bv = new Vector<float>(b);
        var cv = new Vector<float>(c);
        var sv = new Vector<float>(scale);
        var tv = new Vector<float>(shift);
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            var xv = new Vector<float>(x.Slice(i));
            var v = av * du.At(new Vector<float>(dy.Slice(i)), xv, sv, tv) + (bv * xv + cv);
            if (!overwrite) v += new Vector<float>(dx.Slice(i));
            v.CopyTo(dx.Slice(i));
        }
        for (; i < x.Length; i++)
        {
            float v = a * du.At(dy[i], x[i], scale, shift) + (b * x[i] + c);
            dx[i] = overwrite ? v : dx[i] + v;
        }
    }

    // What follows the normalization inside the op: nothing, or leaky_relu (as LeakyReluOperator computes it).
    private interface IActivation
    {
        Vector<float> Apply(Vector<float> u);
        float Apply(float u);
    }

    private readonly struct Linear : IActivation
    {
        public Vector<float> Apply(Vector<float> u) => u;
        public float Apply(float u) => u;
    }

    private readonly struct ThenLeakyRelu(float slope) : IActivation
    {
        public Vector<float> Apply(Vector<float> u) => Vector.ConditionalSelect(Vector.GreaterThan(u, Vector<float>.Zero), u, u * new Vector<float>(slope));
        public float Apply(float u) => u > 0f ? u : slope * u;
    }

    // The gradient at u = x·scale + shift from the op's output gradient dy: dy itself, or through leaky_relu (dy where
    // u > 0, slope·dy elsewhere, as LeakyReluBackwardOperator computes it from u).
    private interface IOutputGradient
    {
        Vector<float> At(Vector<float> dy, Vector<float> x, Vector<float> scale, Vector<float> shift);
        float At(float dy, float x, float scale, float shift);
    }

    private readonly struct Direct : IOutputGradient
    {
        public Vector<float> At(Vector<float> dy, Vector<float> x, Vector<float> scale, Vector<float> shift) => dy;
        public float At(float dy, float x, float scale, float shift) => dy;
    }

    private readonly struct ThroughLeakyRelu(float slope) : IOutputGradient
    {
        public Vector<float> At(Vector<float> dy, Vector<float> x, Vector<float> scale, Vector<float> shift)
            => Vector.ConditionalSelect(Vector.GreaterThan(x * scale + shift, Vector<float>.Zero), dy, dy * new Vector<float>(slope));
        public float At(float dy, float x, float scale, float shift) => x * scale + shift > 0f ? dy : slope * dy;
    }
}
