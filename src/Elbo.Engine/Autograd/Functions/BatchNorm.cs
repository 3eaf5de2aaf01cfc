using System.Buffers;
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
        var layout = new Layout(x.Dim(0), x.Dim(1), Shapes.Product(x.Shape, 2, x.Rank));
        int c = layout.C;
        var y = Tensor.Result(x.Shape);
        var mean = Tensor.Result([c]);
        var invStd = Tensor.Result([c]);
        if (training)
        {
            var partial = ArrayPool<double>.Shared.Rent(2 * layout.Blocks * c);
            try
            {
                var stats = new BlockStatistics { X = x.Storage, Partial = partial, L = layout };
                layout.ForBlocks(ref stats);
                CombineStatistics(partial, layout, mean.Storage, invStd.Storage, runningMean.Storage, runningVar.Storage, momentum, eps);
            }
            finally
            {
                ArrayPool<double>.Shared.Return(partial);
            }
        }
        else
            for (int ch = 0; ch < c; ch++)
            {
                mean.Storage[ch] = runningMean.Storage[ch];
                invStd.Storage[ch] = 1f / MathF.Sqrt(runningVar.Storage[ch] + eps);
            }
        var body = new ForwardImages
        {
            X = x.Storage, Y = y.Storage, Mean = mean.Storage, InvStd = invStd.Storage, Weight = weight?.Storage,
            Bias = bias?.Storage, L = layout, Leaky = leakySlope.HasValue, Slope = leakySlope ?? 0f,
        };
        layout.ForImages(ref body);
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
        var layout = new Layout(x.Dim(0), x.Dim(1), Shapes.Product(x.Shape, 2, x.Rank));
        int c = layout.C;
        bool needX = x.RequiresGrad, needW = weight != null && weight.RequiresGrad, needB = bias != null && bias.RequiresGrad;
        bool leaky = y.IArg1 != 0;
        float slope = y.FArg0;
        float[] mean = y.Saved0!.Storage, invStd = y.Saved1!.Storage, dy = y.Grad!.Storage;
        // per channel: A, B, C0 of dx = A·du + B·x + C0
        var coefficients = ArrayPool<float>.Shared.Rent(3 * c);
        var partial = ArrayPool<double>.Shared.Rent(2 * layout.Blocks * c);
        try
        {
            bool sums = needW || needB || (needX && training);
            if (sums)
            {
                var body = new BlockGradientSums
                {
                    X = x.Storage, DY = dy, Mean = mean, InvStd = invStd, Weight = weight?.Storage, Bias = bias?.Storage,
                    Partial = partial, L = layout, Leaky = leaky, Slope = slope,
                };
                layout.ForBlocks(ref body);
            }
            bool wOver = needW && weight!.GradTarget().Overwrite, bOver = needB && bias!.GradTarget().Overwrite;   // first: it makes .Grad
            float[]? dw = needW ? weight!.Grad!.Storage : null, db = needB ? bias!.Grad!.Storage : null;
            for (int ch = 0; ch < c; ch++)
            {
                double sdy = 0, sdyx = 0;
                if (sums)
                    for (int b = 0; b < layout.Blocks; b++)   // block order: the same sums for any thread count
                    {
                        sdy += partial[(2 * b) * c + ch];
                        sdyx += partial[(2 * b + 1) * c + ch];
                    }
                float inv = invStd[ch];
                if (dw != null)
                {
                    float v = (float)(sdyx * inv);
                    dw[ch] = wOver ? v : dw[ch] + v;
                }
                if (db != null) db[ch] = bOver ? (float)sdy : db[ch] + (float)sdy;
                float a0 = inv * (weight != null ? weight.Storage[ch] : 1f);
                float b0 = training ? (float)(-a0 * inv * inv * sdyx / layout.M) : 0f;
                coefficients[3 * ch] = a0;
                coefficients[3 * ch + 1] = b0;
                coefficients[3 * ch + 2] = training ? (float)(-a0 * sdy / layout.M) - b0 * mean[ch] : 0f;
            }
            if (needX)
            {
                bool xOver = x.GradTarget().Overwrite;
                var body = new InputGradientImages
                {
                    X = x.Storage, DY = dy, Mean = mean, InvStd = invStd, Weight = weight?.Storage, Bias = bias?.Storage,
                    DX = x.Grad!.Storage, Coefficients = coefficients, L = layout, Overwrite = xOver,
                    Leaky = leaky, Slope = slope,
                };
                layout.ForImages(ref body);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partial);
            ArrayPool<float>.Shared.Return(coefficients);
        }
    }

    // The activation is walked in memory order, whole images at a time, never a channel's planes across the batch:
    // those are C·S floats apart, too short a run each (49 to 784 floats here) for the hardware prefetcher, and a pass
    // that read them cold ran at a third to a half of the sequential rate (session 22, Zen 3). The statistics are
    // summed per block of images (a block fits in L2, so its second pass reads it warm) and the blocks are combined
    // in block order; blocks depend on the shape only, so the result does not depend on the thread count.
    private readonly struct Layout
    {
        public readonly int N, C, S, ImagesPerBlock, Blocks;
        public readonly long M;   // values per channel, N·S

        public Layout(int n, int c, int s)
        {
            N = n;
            C = c;
            S = s;
            M = (long)n * s;
            long perImage = Math.Max(1L, (long)c * s);
            int fit = (int)Math.Clamp(BlockFloats / perImage, 1, Math.Max(n, 1));
            int spread = Math.Max(1, (n + MinBlocks - 1) / MinBlocks);
            ImagesPerBlock = Math.Min(fit, spread);
            Blocks = (n + ImagesPerBlock - 1) / ImagesPerBlock;
        }

        public int Plane(int image, int channel) => (image * C + channel) * S;

        public void ForBlocks<T>(ref T body) where T : struct, IParallelBody => For(Blocks, ref body);

        public void ForImages<T>(ref T body) where T : struct, IParallelBody => For(N, ref body);

        // a tensor too small to pay for a dispatch runs on the caller
        private void For<T>(int count, ref T body) where T : struct, IParallelBody
        {
            if (M * C < ParallelThreshold)
                for (int i = 0; i < count; i++) body.Invoke(i);
            else ParallelRunner.For(count, ref body);
        }
    }

    private const int ParallelThreshold = 1 << 15;
    // floats in a block of images (256 KiB: within the L2 of every machine this runs on), and the blocks a batch is cut
    // into at least when its images allow it, so that two or more threads share the statistics passes evenly
    private const long BlockFloats = 1 << 16;
    private const int MinBlocks = 8;

    // One block of images: per channel, the block's mean and Σ(x − block mean)² (two passes, the second warm in L2),
    // into Partial[2b·C + ch] and Partial[(2b+1)·C + ch].
    private struct BlockStatistics : IParallelBody
    {
        public float[] X;
        public double[] Partial;
        public Layout L;

        public readonly void Invoke(int b)
        {
            int c = L.C, s = L.S, first = b * L.ImagesPerBlock, end = Math.Min(L.N, first + L.ImagesPerBlock);
            var means = Partial.AsSpan(2 * b * c, c);
            var squares = Partial.AsSpan((2 * b + 1) * c, c);
            means.Clear();
            squares.Clear();
            for (int i = first; i < end; i++)
                for (int ch = 0; ch < c; ch++) means[ch] += TensorPrimitives.Sum(X.AsSpan(L.Plane(i, ch), s));
            long count = (long)(end - first) * s;
            for (int ch = 0; ch < c; ch++) means[ch] = (float)(means[ch] / count);   // the float the deviations use
            for (int i = first; i < end; i++)
                for (int ch = 0; ch < c; ch++) squares[ch] += SumSquaredDeviation(X.AsSpan(L.Plane(i, ch), s), (float)means[ch]);
        }
    }

    // The batch statistics from the blocks' (Chan, Golub and LeVeque's pairwise update, in double, in block order),
    // then the saved mean and 1/√(σ²+eps) and the running statistics (unbiased variance), as PyTorch updates them.
    private static void CombineStatistics(double[] partial, Layout layout, float[] mean, float[] invStd,
        float[] runningMean, float[] runningVar, float momentum, float eps)
    {
        int c = layout.C;
        for (int ch = 0; ch < c; ch++)
        {
            double mu = 0, sq = 0;
            long count = 0;
            for (int b = 0; b < layout.Blocks; b++)
            {
                long nb = (long)(Math.Min(layout.N, (b + 1) * layout.ImagesPerBlock) - b * layout.ImagesPerBlock) * layout.S;
                double mb = partial[2 * b * c + ch], qb = partial[(2 * b + 1) * c + ch];
                long total = count + nb;
                double delta = mb - mu;
                mu += delta * nb / total;
                sq += qb + delta * delta * ((double)count * nb / total);
                count = total;
            }
            float m = (float)mu;
            mean[ch] = m;
            invStd[ch] = (float)(1.0 / Math.Sqrt(sq / layout.M + eps));
            runningMean[ch] = (1f - momentum) * runningMean[ch] + momentum * m;
            runningVar[ch] = (1f - momentum) * runningVar[ch] + momentum * (float)(sq / (layout.M - 1));
        }
    }

    // scale and shift of the affine map u = x·scale + shift the op applies to channel ch
    private static (float Scale, float Shift) AffineOf(int ch, float[] mean, float[] invStd, float[]? weight, float[]? bias)
    {
        float scale = invStd[ch] * (weight != null ? weight[ch] : 1f);
        return (scale, (bias != null ? bias[ch] : 0f) - mean[ch] * scale);
    }

    // One image of the forward: y = act(x·scale + shift), plane by plane.
    private struct ForwardImages : IParallelBody
    {
        public float[] X, Y, Mean, InvStd;
        public float[]? Weight, Bias;
        public Layout L;
        public bool Leaky;
        public float Slope;

        public readonly void Invoke(int i)
        {
            for (int ch = 0; ch < L.C; ch++)
            {
                var (scale, shift) = AffineOf(ch, Mean, InvStd, Weight, Bias);
                int off = L.Plane(i, ch);
                if (Leaky) Affine(X.AsSpan(off, L.S), scale, shift, Y.AsSpan(off, L.S), new ThenLeakyRelu(Slope));
                else Affine(X.AsSpan(off, L.S), scale, shift, Y.AsSpan(off, L.S), new Linear());
            }
        }
    }

    // One block of images of the backward: per channel, Σ du and Σ du·(x − μ) into Partial (as BlockStatistics lays
    // them out), du the gradient at the normalized output.
    private struct BlockGradientSums : IParallelBody
    {
        public float[] X, DY, Mean, InvStd;
        public float[]? Weight, Bias;
        public double[] Partial;
        public Layout L;
        public bool Leaky;
        public float Slope;

        public readonly void Invoke(int b)
        {
            if (Leaky) Invoke(b, new ThroughLeakyRelu(Slope));
            else Invoke(b, new Direct());
        }

        private readonly void Invoke<TGrad>(int b, TGrad du) where TGrad : struct, IOutputGradient
        {
            int c = L.C, s = L.S, first = b * L.ImagesPerBlock, end = Math.Min(L.N, first + L.ImagesPerBlock);
            var sums = Partial.AsSpan(2 * b * c, c);
            var dots = Partial.AsSpan((2 * b + 1) * c, c);
            sums.Clear();
            dots.Clear();
            for (int i = first; i < end; i++)
                for (int ch = 0; ch < c; ch++)
                {
                    var (scale, shift) = AffineOf(ch, Mean, InvStd, Weight, Bias);
                    int off = L.Plane(i, ch);
                    SumAndDotDeviation(DY.AsSpan(off, s), X.AsSpan(off, s), Mean[ch], scale, shift, du, out double a, out double d);
                    sums[ch] += a;
                    dots[ch] += d;
                }
        }
    }

    // One image of the backward: dx (=, +=) A·du + B·x + C0 with each channel's coefficients.
    private struct InputGradientImages : IParallelBody
    {
        public float[] X, DY, DX, Mean, InvStd, Coefficients;
        public float[]? Weight, Bias;
        public Layout L;
        public bool Overwrite, Leaky;
        public float Slope;

        public readonly void Invoke(int i)
        {
            if (Leaky) Invoke(i, new ThroughLeakyRelu(Slope));
            else Invoke(i, new Direct());
        }

        private readonly void Invoke<TGrad>(int i, TGrad du) where TGrad : struct, IOutputGradient
        {
            for (int ch = 0; ch < L.C; ch++)
            {
                var (scale, shift) = AffineOf(ch, Mean, InvStd, Weight, Bias);
                int off = L.Plane(i, ch);
                InputGradient(DY.AsSpan(off, L.S), X.AsSpan(off, L.S), Coefficients[3 * ch], Coefficients[3 * ch + 1],
                    Coefficients[3 * ch + 2], DX.AsSpan(off, L.S), Overwrite, scale, shift, du);
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
