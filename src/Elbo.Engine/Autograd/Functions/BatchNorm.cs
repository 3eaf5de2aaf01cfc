using System.Numerics;
using System.Numerics.Tensors;

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
    public static Tensor Forward(Tensor x, Tensor runningMean, Tensor runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum, float eps)
    {
        Check(x, runningMean, runningVar, weight, bias, training);
        int n = x.Dim(0), c = x.Dim(1), s = Shapes.Product(x.Shape, 2, x.Rank), m = n * s;
        var y = Tensor.Result(x.Shape);
        var mean = Tensor.Result([c]);
        var invStd = Tensor.Result([c]);
        var xd = x.Data;
        var yd = y.Data;
        var md = mean.Data;
        var id = invStd.Data;
        var rm = runningMean.Data;
        var rv = runningVar.Data;
        for (int ch = 0; ch < c; ch++)
        {
            float mu, inv;
            if (training)
            {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += TensorPrimitives.Sum(xd.Slice((i * c + ch) * s, s));
                mu = (float)(sum / m);
                double sq = 0;
                for (int i = 0; i < n; i++) sq += SumSquaredDeviation(xd.Slice((i * c + ch) * s, s), mu);
                double var = sq / m;
                inv = (float)(1.0 / Math.Sqrt(var + eps));
                rm[ch] = (1f - momentum) * rm[ch] + momentum * mu;
                rv[ch] = (1f - momentum) * rv[ch] + momentum * (float)(sq / (m - 1));
            }
            else
            {
                mu = rm[ch];
                inv = 1f / MathF.Sqrt(rv[ch] + eps);
            }
            md[ch] = mu;
            id[ch] = inv;
            float scale = inv * (weight != null ? weight.Data[ch] : 1f);
            float shift = (bias != null ? bias.Data[ch] : 0f) - mu * scale;
            for (int i = 0; i < n; i++)
            {
                int off = (i * c + ch) * s;
                var yS = yd.Slice(off, s);
                TensorPrimitives.Multiply(xd.Slice(off, s), scale, yS);
                TensorPrimitives.Add(yS, shift, yS);
            }
        }
        if (y.Record(Instance, x, weight, bias))
        {
            y.Saved0 = mean;
            y.Saved1 = invStd;
            y.IArg0 = training ? 1 : 0;
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

    /// <summary>Σ dy·(x − shift).</summary>
    private static double DotDeviation(ReadOnlySpan<float> dy, ReadOnlySpan<float> x, float shift)
    {
        var acc = Vector<float>.Zero;
        var sv = new Vector<float>(shift);
        int i = 0;
        for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            acc += new Vector<float>(dy.Slice(i)) * (new Vector<float>(x.Slice(i)) - sv);
        double s = Vector.Sum(acc);
        for (; i < x.Length; i++) s += dy[i] * (x[i] - shift);
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
        int n = x.Dim(0), c = x.Dim(1), s = Shapes.Product(x.Shape, 2, x.Rank), m = n * s;
        var xd = x.Data;
        var dy = y.GradData;
        var md = y.Saved0!.Data;
        var id = y.Saved1!.Data;
        bool needX = x.RequiresGrad, needW = weight != null && weight.RequiresGrad, needB = bias != null && bias.RequiresGrad;
        Span<float> dx = default, dw = default, db = default;
        bool xOver = false, wOver = false, bOver = false;
        if (needX) { var g = x.GradTarget(); dx = g.Span; xOver = g.Overwrite; }
        if (needW) { var g = weight!.GradTarget(); dw = g.Span; wOver = g.Overwrite; }
        if (needB) { var g = bias!.GradTarget(); db = g.Span; bOver = g.Overwrite; }
        for (int ch = 0; ch < c; ch++)
        {
            float mu = md[ch], inv = id[ch];
            double sdy = 0, sdyx = 0;
            bool needSums = needW || needB || (needX && training);
            if (needSums)
                for (int i = 0; i < n; i++)
                {
                    int off = (i * c + ch) * s;
                    var dyS = dy.Slice(off, s);
                    sdy += TensorPrimitives.Sum(dyS);
                    if (needW || training) sdyx += DotDeviation(dyS, xd.Slice(off, s), mu);
                }
            if (needW)
            {
                float v = (float)(sdyx * inv);
                dw[ch] = wOver ? v : dw[ch] + v;
            }
            if (needB) db[ch] = bOver ? (float)sdy : db[ch] + (float)sdy;
            if (!needX) continue;
            float a = inv * (weight != null ? weight.Data[ch] : 1f);
            float b = training ? (float)(-a * inv * inv * sdyx / m) : 0f;
            float c0 = training ? (float)(-a * sdy / m) - b * mu : 0f;
            for (int i = 0; i < n; i++)
            {
                int off = (i * c + ch) * s;
                var dxS = dx.Slice(off, s);
                var dyS = dy.Slice(off, s);
                if (!training)
                {
                    if (xOver) TensorPrimitives.Multiply(dyS, a, dxS);
                    else TensorPrimitives.MultiplyAdd(dyS, a, dxS, dxS);
                    continue;
                }
                if (xOver)
                {
                    TensorPrimitives.Multiply(xd.Slice(off, s), b, dxS);
                    TensorPrimitives.MultiplyAdd(dyS, a, dxS, dxS);
                    TensorPrimitives.Add(dxS, c0, dxS);
                }
                else
                {
                    TensorPrimitives.MultiplyAdd(dyS, a, dxS, dxS);
                    TensorPrimitives.MultiplyAdd(xd.Slice(off, s), b, dxS, dxS);
                    TensorPrimitives.Add(dxS, c0, dxS);
                }
            }
        }
    }
}
