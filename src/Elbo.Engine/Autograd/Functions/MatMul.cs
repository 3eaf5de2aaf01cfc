using System.Numerics.Tensors;
using Elbo.Engine.Gemm;
using Elbo.Engine.Tensors;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>Matrix product of 2-D tensors, either operand optionally transposed: C = op(A)·op(B).</summary>
internal sealed class MatMulFunction : Function
{
    public static readonly MatMulFunction Instance = new();
    public override string Name => "matmul";

    // a (m,k) or (k,m) if transA; b (k,n) or (n,k) if transB; c (m,n)
    public static Tensor Forward(Tensor a, Tensor b, bool transA, bool transB)
    {
        if (a.Rank != 2 || b.Rank != 2)
            throw new ArgumentException($"matmul: operands must be 2-D, got {a.ShapeString} and {b.ShapeString}");
        int m = transA ? a.Dim(1) : a.Dim(0);
        int ka = transA ? a.Dim(0) : a.Dim(1);
        int kb = transB ? b.Dim(1) : b.Dim(0);
        int n = transB ? b.Dim(0) : b.Dim(1);
        if (ka != kb)
            throw new ArgumentException($"matmul: {a.ShapeString}{(transA ? "ᵀ" : "")} x {b.ShapeString}{(transB ? "ᵀ" : "")}: inner dimensions {ka} and {kb} differ");
        var c = Tensor.Result([m, n]);
        Blas.Sgemm(transA, transB, m, n, ka, 1f, a.Data, a.Dim(1), b.Data, b.Dim(1), 0f, c.Data, n);
        if (c.Record(Instance, a, b))
        {
            c.IArg0 = transA ? 1 : 0;
            c.IArg1 = transB ? 1 : 0;
        }
        return c;
    }

    public override void Backward(Tensor c)
    {
        var a = c.In0!;
        var b = c.In1!;
        bool transA = c.IArg0 != 0, transB = c.IArg1 != 0;
        int m = c.Dim(0), n = c.Dim(1);
        int k = transA ? a.Dim(0) : a.Dim(1);
        var dc = c.GradData;
        if (a.RequiresGrad)
        {
            var g = a.GradTarget();
            if (!transA) // dA (m,k) = dC · op(B)ᵀ
                Blas.Sgemm(false, !transB, m, k, n, 1f, dc, n, b.Data, b.Dim(1), g.Beta, g.Span, k);
            else         // dA (k,m) = op(B) · dCᵀ
                Blas.Sgemm(transB, true, k, m, n, 1f, b.Data, b.Dim(1), dc, n, g.Beta, g.Span, m);
        }
        if (b.RequiresGrad)
        {
            var g = b.GradTarget();
            if (!transB) // dB (k,n) = op(A)ᵀ · dC
                Blas.Sgemm(!transA, false, k, n, m, 1f, a.Data, a.Dim(1), dc, n, g.Beta, g.Span, n);
            else         // dB (n,k) = dCᵀ · op(A)
                Blas.Sgemm(true, transA, n, k, m, 1f, dc, n, a.Data, a.Dim(1), g.Beta, g.Span, k);
        }
    }
}

/// <summary>The fused affine map of nn.Linear: y = x·Wᵀ + b.</summary>
internal sealed class LinearFunction : Function
{
    public static readonly LinearFunction Instance = new();
    public override string Name => "linear";

    // x (B,in), w (out,in), bias (out) or null; y (B,out)
    public static Tensor Forward(Tensor x, Tensor w, Tensor? bias)
    {
        if (x.Rank != 2 || w.Rank != 2 || x.Dim(1) != w.Dim(1))
            throw new ArgumentException($"linear: input {x.ShapeString} and weight {w.ShapeString} do not fit (need input (B,in) and weight (out,in))");
        int batch = x.Dim(0), inF = x.Dim(1), outF = w.Dim(0);
        if (bias != null && (bias.Rank != 1 || bias.Dim(0) != outF))
            throw new ArgumentException($"linear: bias {bias.ShapeString} does not match weight {w.ShapeString} (need ({outF},))");
        var y = Tensor.Result([batch, outF]);
        var yd = y.Data;
        if (bias != null)
        {
            var bd = bias.Data;
            for (int r = 0; r < batch; r++) bd.CopyTo(yd.Slice(r * outF, outF));
        }
        Blas.Sgemm(false, true, batch, outF, inF, 1f, x.Data, inF, w.Data, inF, bias != null ? 1f : 0f, yd, outF);
        y.Record(Instance, x, w, bias);
        return y;
    }

    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        var w = y.In1!;
        var bias = y.In2;
        int batch = x.Dim(0), inF = x.Dim(1), outF = w.Dim(0);
        var dy = y.GradData;
        if (x.RequiresGrad)
        {
            var g = x.GradTarget(); // dx (B,in) = dy (B,out) · W (out,in)
            Blas.Sgemm(false, false, batch, inF, outF, 1f, dy, outF, w.Data, inF, g.Beta, g.Span, inF);
        }
        if (w.RequiresGrad)
        {
            var g = w.GradTarget(); // dW (out,in) = dyᵀ (out,B) · x (B,in)
            Blas.Sgemm(true, false, outF, inF, batch, 1f, dy, outF, x.Data, inF, g.Beta, g.Span, inF);
        }
        if (bias != null && bias.RequiresGrad)
        {
            var g = bias.GradTarget(); // db (out) = Σ_rows dy
            if (g.Overwrite) g.Span.Clear();
            for (int r = 0; r < batch; r++) TensorPrimitives.Add(g.Span, dy.Slice(r * outF, outF), g.Span);
        }
    }
}
