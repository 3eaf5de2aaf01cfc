using System.Numerics.Tensors;
using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>dropout (training mode): y = x·m with m_i = 1/(1−p) with probability 1−p, else 0, drawn from the
/// caller's generator. Saved0 holds m (already scaled); FArg0 holds p.</summary>
internal sealed class DropoutFunction : Function
{
    public static readonly DropoutFunction Instance = new();
    public override string Name => "dropout";

    // x (any) -> y (same); identity (x itself) when not training or p == 0
    public static Tensor Forward(Tensor x, float p, bool training, Generator generator)
    {
        if (!(p >= 0f && p < 1f)) throw new ArgumentException($"dropout: probability {p} is not in [0, 1)");
        if (!training || p == 0f) return x;
        ArgumentNullException.ThrowIfNull(generator);
        var mask = Tensor.Result(x.Shape);
        FillMask(mask.Data, p, generator);
        var y = Tensor.Result(x.Shape);
        TensorPrimitives.Multiply(x.Data, mask.Data, y.Data);
        if (y.Record(Instance, x))
        {
            y.Saved0 = mask;
            y.FArg0 = p;
        }
        return y;
    }

    /// <summary>m_i = scale where a uniform draw u ∈ [0,1) (24 bits) is ≥ p, else 0.</summary>
    private static void FillMask(Span<float> mask, float p, Generator generator)
    {
        float scale = 1f / (1f - p);
        for (int i = 0; i < mask.Length; i++) mask[i] = generator.NextFloat() >= p ? scale : 0f;
    }

    // dx = dy * m
    public override void Backward(Tensor y)
    {
        var x = y.In0!;
        if (!x.RequiresGrad) return;
        var g = x.GradTarget();
        BinaryDriver.Apply(y.Saved0!.Data, y.GradData, g.Span, !g.Overwrite, new MultiplyOperator());
    }
}
