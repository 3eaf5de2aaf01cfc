using System.Runtime.Intrinsics;

namespace Elbo.Engine.Kernels.Common;

// The shapes of elementwise operations the loop drivers run. An operator is a readonly struct; it may carry fields
// (a slope, a scale), which is why Invoke is an instance member: the JIT specializes every driver for each struct
// operator and inlines these calls, so a field costs a register, not a call. The scalar Invoke is the reference
// (the test oracle and the remainder path); the vector paths must agree with it to float rounding.

/// <summary>y = f(x).</summary>
public interface IUnaryOperator
{
    /// <summary>The scalar (reference) form.</summary>
    float Invoke(float x);
    /// <summary>Eight lanes at once.</summary>
    Vector256<float> Invoke(Vector256<float> x);
    /// <summary>Sixteen lanes at once.</summary>
    Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>d = f(a, b).</summary>
public interface IBinaryOperator
{
    /// <summary>The scalar (reference) form.</summary>
    float Invoke(float a, float b);
    /// <summary>Eight lanes at once.</summary>
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b);
    /// <summary>Sixteen lanes at once.</summary>
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b);
}

/// <summary>d = f(a, b, c).</summary>
public interface ITernaryOperator
{
    /// <summary>The scalar (reference) form.</summary>
    float Invoke(float a, float b, float c);
    /// <summary>Eight lanes at once.</summary>
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c);
    /// <summary>Sixteen lanes at once.</summary>
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c);
}

/// <summary>d = f(a, b, c, e) (e.g. a loss gradient times an upstream gradient).</summary>
public interface IQuaternaryOperator
{
    /// <summary>The scalar (reference) form.</summary>
    float Invoke(float a, float b, float c, float e);
    /// <summary>Eight lanes at once.</summary>
    Vector256<float> Invoke(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> e);
    /// <summary>Sixteen lanes at once.</summary>
    Vector512<float> Invoke(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> e);
}

/// <summary>(s, t) ← f(s, t, g): rewrites two vectors in place from one read-only input (an optimizer step: the
/// weight and one state vector from the gradient).</summary>
public interface IUpdate2Operator
{
    /// <summary>The scalar (reference) form.</summary>
    void Invoke(ref float s, ref float t, float g);
    /// <summary>Eight lanes at once.</summary>
    void Invoke(ref Vector256<float> s, ref Vector256<float> t, Vector256<float> g);
    /// <summary>Sixteen lanes at once.</summary>
    void Invoke(ref Vector512<float> s, ref Vector512<float> t, Vector512<float> g);
}

/// <summary>(s, t, u) ← f(s, t, u, g): rewrites three vectors in place from one read-only input (an optimizer step:
/// the weight and two state vectors from the gradient).</summary>
public interface IUpdate3Operator
{
    /// <summary>The scalar (reference) form.</summary>
    void Invoke(ref float s, ref float t, ref float u, float g);
    /// <summary>Eight lanes at once.</summary>
    void Invoke(ref Vector256<float> s, ref Vector256<float> t, ref Vector256<float> u, Vector256<float> g);
    /// <summary>Sixteen lanes at once.</summary>
    void Invoke(ref Vector512<float> s, ref Vector512<float> t, ref Vector512<float> u, Vector512<float> g);
}

/// <summary>An operator that carries a scale factor (a loss gradient times the reduction's 1/n or the upstream dy),
/// made by a static factory so generic loss code can build it.</summary>
public interface IScaledOperator<TSelf> where TSelf : struct, IScaledOperator<TSelf>
{
    /// <summary>The operator with scale <paramref name="scale"/>.</summary>
    static abstract TSelf WithScale(float scale);
}
