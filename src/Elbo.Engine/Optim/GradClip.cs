using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Elbo.Engine.Optim;

/// <summary>Gradient clipping (torch.nn.utils.clip_grad_norm_).</summary>
public static class GradClip
{
    /// <summary>Scales the gradients of <paramref name="parameters"/> in place so that their joint L2 norm is at most
    /// <paramref name="maxNorm"/>: coefficient maxNorm / (norm + 1e-6), applied when below 1, as PyTorch. Parameters
    /// without a gradient are skipped. Returns the total norm before clipping (accumulated in double; infinite or
    /// NaN when a gradient is). Allocates nothing.</summary>
    public static double ClipGradNorm(IReadOnlyList<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm >= 0)) throw new ArgumentException($"clip_grad_norm: max norm {maxNorm} must not be negative");
        double sumSq = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var g = parameters[i].Grad;
            if (g != null) sumSq += SumOfSquares(g.Data);
        }
        double total = Math.Sqrt(sumSq);
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1.0)
        {
            float c = (float)coef;
            for (int i = 0; i < parameters.Count; i++)
            {
                var g = parameters[i].Grad;
                if (g != null) TensorPrimitives.Multiply(g.Data, c, g.Data);
            }
        }
        return total;
    }

    /// <summary>Σ x² accumulated in double.</summary>
    internal static double SumOfSquares(ReadOnlySpan<float> x)
    {
        ref float r = ref MemoryMarshal.GetReference(x);
        int i = 0, n = x.Length;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var acc0 = Vector512<double>.Zero;
            var acc1 = Vector512<double>.Zero;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var (lo, hi) = Vector512.Widen(Vector512.LoadUnsafe(ref r, (nuint)i));
                acc0 += lo * lo;
                acc1 += hi * hi;
            }
            sum = Vector512.Sum(acc0 + acc1);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var (lo, hi) = Vector256.Widen(Vector256.LoadUnsafe(ref r, (nuint)i));
                acc0 += lo * lo;
                acc1 += hi * hi;
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++)
        {
            double v = x[i];
            sum += v * v;
        }
        return sum;
    }
}
