using Elbo.Engine.Autograd.Functions;

namespace Elbo.Engine.Tensors;

// Arithmetic, matrix products, reductions and reshaping, as methods and operators. Every method records its
// backward rule when grad mode is on and an input requires grad.
public sealed partial class Tensor
{
    /// <summary>this + other, numpy broadcasting.</summary>
    public Tensor Add(Tensor other) => Arithmetic.Binary<AddOp>(this, other, AddFunction.Instance);

    /// <summary>this - other, numpy broadcasting.</summary>
    public Tensor Sub(Tensor other) => Arithmetic.Binary<SubOp>(this, other, SubFunction.Instance);

    /// <summary>this * other elementwise, numpy broadcasting.</summary>
    public Tensor Mul(Tensor other) => Arithmetic.Binary<MulOp>(this, other, MulFunction.Instance);

    /// <summary>this / other elementwise, numpy broadcasting.</summary>
    public Tensor Div(Tensor other) => Arithmetic.Binary<DivOp>(this, other, DivFunction.Instance);

    /// <summary>this + value.</summary>
    public Tensor Add(float value) => AffineScalarFunction.Forward(this, 1f, value);

    /// <summary>this * value.</summary>
    public Tensor Mul(float value) => AffineScalarFunction.Forward(this, value, 0f);

    /// <summary>this * scale + shift, in one pass.</summary>
    public Tensor Affine(float scale, float shift) => AffineScalarFunction.Forward(this, scale, shift);

    /// <summary>-this.</summary>
    public Tensor Neg() => AffineScalarFunction.Forward(this, -1f, 0f);

    /// <inheritdoc cref="Add(Tensor)"/>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <inheritdoc cref="Sub(Tensor)"/>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <inheritdoc cref="Mul(Tensor)"/>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <inheritdoc cref="Div(Tensor)"/>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <inheritdoc cref="Add(float)"/>
    public static Tensor operator +(Tensor a, float b) => a.Add(b);
    /// <inheritdoc cref="Add(float)"/>
    public static Tensor operator +(float a, Tensor b) => b.Add(a);
    /// <inheritdoc cref="Add(float)"/>
    public static Tensor operator -(Tensor a, float b) => a.Add(-b);
    /// <inheritdoc cref="Affine(float, float)"/>
    public static Tensor operator -(float a, Tensor b) => b.Affine(-1f, a);
    /// <inheritdoc cref="Mul(float)"/>
    public static Tensor operator *(Tensor a, float b) => a.Mul(b);
    /// <inheritdoc cref="Mul(float)"/>
    public static Tensor operator *(float a, Tensor b) => b.Mul(a);
    /// <inheritdoc cref="Mul(float)"/>
    public static Tensor operator /(Tensor a, float b) => a.Mul(1f / b);
    /// <inheritdoc cref="Neg"/>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>Matrix product of 2-D tensors; either operand may be taken transposed.</summary>
    public Tensor MatMul(Tensor other, bool transposeThis = false, bool transposeOther = false)
        => MatMulFunction.Forward(this, other, transposeThis, transposeOther);

    /// <summary>Sum of all elements (rank 0).</summary>
    public Tensor Sum() => SumFunction.ForwardAll(this, 1f);

    /// <summary>Sum over one dimension.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => SumFunction.ForwardDim(this, dim, keepDim, 1f, "sum");

    /// <summary>Mean of all elements (rank 0).</summary>
    public Tensor Mean() => SumFunction.ForwardAll(this, Numel == 0 ? float.NaN : 1f / Numel);

    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false)
    {
        int size = Dim(dim);
        return SumFunction.ForwardDim(this, dim, keepDim, size == 0 ? float.NaN : 1f / size, "mean");
    }

    /// <summary>log Σ exp over one dimension, computed stably.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExpFunction.Forward(this, dim, keepDim);

    /// <summary>The same data viewed with another shape (one size may be -1).</summary>
    public Tensor Reshape(params int[] shape) => ReshapeFunction.Forward(this, shape);

    /// <summary>The same data viewed with another shape (one size may be -1), without allocating the shape.</summary>
    public Tensor Reshape(ReadOnlySpan<int> shape) => ReshapeFunction.Forward(this, shape);

    /// <summary>Alias of <see cref="Reshape(int[])"/> (all tensors are contiguous).</summary>
    public Tensor View(params int[] shape) => ReshapeFunction.Forward(this, shape);
}
