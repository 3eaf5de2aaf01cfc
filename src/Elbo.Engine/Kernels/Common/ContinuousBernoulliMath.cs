using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Elbo.Engine.Kernels.Common;

/// <summary>
/// The continuous Bernoulli distribution on [0, 1] with logits ℓ (Loaiza-Ganem &amp; Cunningham 2019),
/// p(x | ℓ) = C(ℓ)·λ^x·(1 − λ)^(1 − x) with λ = sigmoid(ℓ) and C(ℓ) = ℓ / tanh(ℓ/2) (2 at ℓ = 0); equivalently
/// p(x | ℓ) = ℓ·e^(ℓx) / (e^ℓ − 1), an exponential family in x with natural parameter ℓ. In scalar and vector forms that
/// compute the same formula (so they agree to float rounding), accurate to a few ulp for every finite ℓ.
/// <para>
/// With a = |ℓ| and y = ℓ/2 everything is written through two entire functions whose Taylor series have only positive
/// terms, so they lose nothing to cancellation near ℓ = 0:
/// R(t) = sinh t − t = t³·Pr(t²) and N(t) = t·cosh t − sinh t = t³·Pn(t²), Pr(s) = Σ_{k≥1} s^(k−1)/(2k+1)!,
/// Pn(s) = Σ_{k≥1} 2k·s^(k−1)/(2k+1)!. Then, with s = y² and h = s·Pr(s) = sinh y / y − 1:
/// </para>
/// <list type="bullet">
/// <item>NLL(ℓ, x) = −log p = ℓ(½ − x) + log(sinh y / y) = ℓ(½ − x) + log1p(h);</item>
/// <item>log C(ℓ) = log 2 + log(y·coth y) = log 2 + log1p(s·Pn(s)/(1 + h));</item>
/// <item>mean E[x] = ½ + ½·(coth y − 1/y) = ½ + ½·y·Pn(s)/(1 + h) (half the Langevin function of ℓ/2, plus ½);</item>
/// <item>variance = d mean / dℓ = 1/ℓ² − 1/(4 sinh² y) = Pr(s)·(2 + h)/(4(1 + h)²);</item>
/// <item>d log C / dℓ = 1/ℓ − 1/sinh ℓ = ℓ·Pr(ℓ²)/(1 + ℓ²·Pr(ℓ²)).</item>
/// </list>
/// <para>
/// From a = <see cref="SeriesBound"/> on, the closed forms in u = e^(−a) take over; there nothing cancels badly:
/// NLL = max(ℓ, 0) − ℓx − log(a/(1 − u)), log C = log(a(1 + u)/(1 − u)), mean = 1/(1 − u) − 1/a for ℓ &gt; 0 and
/// 1/a − u/(1 − u) for ℓ &lt; 0, variance = 1/a² − u/(1 − u)², d log C / dℓ = ±(1/a − 2u/(1 − u²)).
/// The gradient of the NLL is mean(ℓ) − x wrt ℓ and −ℓ wrt x.
/// </para>
/// </summary>
public static class ContinuousBernoulliMath
{
    /// <summary>|ℓ| below which the series forms are used. At 4 the closed forms' rounding (a few operations on numbers
    /// of order 1) stays within about an ulp of the result, and the series need 11 (Pr at ℓ² ≤ 16) and 8 (Pn at
    /// (ℓ/2)² ≤ 4) terms for a truncation error below 1e-8 relative.</summary>
    public const float SeriesBound = 4f;

    private const float Ln2 = 0.693147180559945309f;

    // Pr(s) = Σ_{k=1..11} s^(k-1)/(2k+1)!   (sinh t − t)/t³ at s = t²; the k = 12 term is < 1e-12 relative at s = 16.
    private const float R1 = (float)(1.0 / 6), R2 = (float)(1.0 / 120), R3 = (float)(1.0 / 5040), R4 = (float)(1.0 / 362880),
        R5 = (float)(1.0 / 39916800), R6 = (float)(1.0 / 6227020800), R7 = (float)(1.0 / 1307674368000),
        R8 = (float)(1.0 / 355687428096000), R9 = (float)(1.0 / 121645100408832000), R10 = (float)(1.0 / 51090942171709440000.0),
        R11 = (float)(1.0 / 25852016738884976640000.0);

    // Pn(s) = Σ_{k=1..8} 2k·s^(k-1)/(2k+1)!   (t cosh t − sinh t)/t³ at s = t²; the k = 9 term is < 1e-11 relative at s = 4.
    private const float N1 = (float)(2.0 / 6), N2 = (float)(4.0 / 120), N3 = (float)(6.0 / 5040), N4 = (float)(8.0 / 362880),
        N5 = (float)(10.0 / 39916800), N6 = (float)(12.0 / 6227020800), N7 = (float)(14.0 / 1307674368000),
        N8 = (float)(16.0 / 355687428096000);

    /// <summary>The coefficients of Pr, lowest power first (R1 … R11), for code that writes the same series elsewhere
    /// (the ONNX form of <see cref="Mean(float)"/>).</summary>
    internal static ReadOnlySpan<float> PrCoefficients => [R1, R2, R3, R4, R5, R6, R7, R8, R9, R10, R11];

    /// <summary>The coefficients of Pn, lowest power first (N1 … N8).</summary>
    internal static ReadOnlySpan<float> PnCoefficients => [N1, N2, N3, N4, N5, N6, N7, N8];

    // ---- the two series (Horner; all terms positive, so the relative rounding error stays at a few ulp) ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Pr(float s)
        => R1 + s * (R2 + s * (R3 + s * (R4 + s * (R5 + s * (R6 + s * (R7 + s * (R8 + s * (R9 + s * (R10 + s * R11)))))))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pr(Vector256<float> s)
    {
        var p = Vector256.Create(R11);
        p = p * s + Vector256.Create(R10);
        p = p * s + Vector256.Create(R9);
        p = p * s + Vector256.Create(R8);
        p = p * s + Vector256.Create(R7);
        p = p * s + Vector256.Create(R6);
        p = p * s + Vector256.Create(R5);
        p = p * s + Vector256.Create(R4);
        p = p * s + Vector256.Create(R3);
        p = p * s + Vector256.Create(R2);
        return p * s + Vector256.Create(R1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pr(Vector512<float> s)
    {
        var p = Vector512.Create(R11);
        p = p * s + Vector512.Create(R10);
        p = p * s + Vector512.Create(R9);
        p = p * s + Vector512.Create(R8);
        p = p * s + Vector512.Create(R7);
        p = p * s + Vector512.Create(R6);
        p = p * s + Vector512.Create(R5);
        p = p * s + Vector512.Create(R4);
        p = p * s + Vector512.Create(R3);
        p = p * s + Vector512.Create(R2);
        return p * s + Vector512.Create(R1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Pn(float s)
        => N1 + s * (N2 + s * (N3 + s * (N4 + s * (N5 + s * (N6 + s * (N7 + s * N8))))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pn(Vector256<float> s)
    {
        var p = Vector256.Create(N8);
        p = p * s + Vector256.Create(N7);
        p = p * s + Vector256.Create(N6);
        p = p * s + Vector256.Create(N5);
        p = p * s + Vector256.Create(N4);
        p = p * s + Vector256.Create(N3);
        p = p * s + Vector256.Create(N2);
        return p * s + Vector256.Create(N1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Pn(Vector512<float> s)
    {
        var p = Vector512.Create(N8);
        p = p * s + Vector512.Create(N7);
        p = p * s + Vector512.Create(N6);
        p = p * s + Vector512.Create(N5);
        p = p * s + Vector512.Create(N4);
        p = p * s + Vector512.Create(N3);
        p = p * s + Vector512.Create(N2);
        return p * s + Vector512.Create(N1);
    }

    // ---- negative log-likelihood ----

    /// <summary>−log p(x | ℓ) = BCEWithLogits(ℓ, x) − log C(ℓ): ℓ(½ − x) + log1p(h) for |ℓ| &lt; <see cref="SeriesBound"/>,
    /// max(ℓ, 0) − ℓx − log(a/(1 − e^(−a))) from there on. Finite for every finite ℓ; negative where the density
    /// exceeds 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Nll(float logit, float x)
    {
        float a = MathF.Abs(logit);
        if (a < SeriesBound)
        {
            float y = 0.5f * logit, s = y * y;
            return logit * (0.5f - x) + StableMath.Log1p(s * Pr(s));
        }
        float u = MathF.Exp(-a);
        return MathF.Max(logit, 0f) - logit * x - MathF.Log(a / (1f - u));
    }

    /// <inheritdoc cref="Nll(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Nll(Vector256<float> logit, Vector256<float> x)
    {
        var a = Vector256.Abs(logit);
        var y = Vector256.Create(0.5f) * logit;
        var s = y * y;
        var series = logit * (Vector256.Create(0.5f) - x) + StableMath.Log1p(s * Pr(s));
        var u = Vector256.Exp(-a);
        var closed = Vector256.Max(logit, Vector256<float>.Zero) - logit * x - Vector256.Log(a / (Vector256<float>.One - u));
        // each branch's NaN or ∞ outside its range (0/0 at ℓ = 0, ∞ powers at large ℓ) is discarded here.
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(SeriesBound)), series, closed);
    }

    /// <inheritdoc cref="Nll(float, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Nll(Vector512<float> logit, Vector512<float> x)
    {
        var a = Vector512.Abs(logit);
        var y = Vector512.Create(0.5f) * logit;
        var s = y * y;
        var series = logit * (Vector512.Create(0.5f) - x) + StableMath.Log1p(s * Pr(s));
        var u = Vector512.Exp(-a);
        var closed = Vector512.Max(logit, Vector512<float>.Zero) - logit * x - Vector512.Log(a / (Vector512<float>.One - u));
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(SeriesBound)), series, closed);
    }

    // ---- mean (= d log normalizer of the exponential family; the NLL's logit gradient is mean − x) ----

    /// <summary>E[x] = λ/(2λ − 1) + 1/(2 atanh(1 − 2λ)) = 1/(1 − e^(−ℓ)) − 1/ℓ, ½ at ℓ = 0 (≈ ½ + ℓ/12 − ℓ³/720 near 0),
    /// in (0, 1) and tending to 1 − 1/ℓ (ℓ → ∞) and −1/ℓ (ℓ → −∞).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Mean(float logit)
    {
        float a = MathF.Abs(logit);
        if (a < SeriesBound)
        {
            float y = 0.5f * logit, s = y * y;
            return 0.5f + 0.5f * (y * Pn(s) / (1f + s * Pr(s)));
        }
        float u = MathF.Exp(-a);
        float q = 1f / (1f - u), r = 1f / a;
        return logit > 0f ? q - r : r - u * q;
    }

    /// <inheritdoc cref="Mean(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Mean(Vector256<float> logit)
    {
        var half = Vector256.Create(0.5f);
        var a = Vector256.Abs(logit);
        var y = half * logit;
        var s = y * y;
        var series = half + half * (y * Pn(s) / (Vector256<float>.One + s * Pr(s)));
        var u = Vector256.Exp(-a);
        var q = Vector256<float>.One / (Vector256<float>.One - u);
        var r = Vector256<float>.One / a;
        var closed = Vector256.ConditionalSelect(Vector256.GreaterThan(logit, Vector256<float>.Zero), q - r, r - u * q);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(SeriesBound)), series, closed);
    }

    /// <inheritdoc cref="Mean(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Mean(Vector512<float> logit)
    {
        var half = Vector512.Create(0.5f);
        var a = Vector512.Abs(logit);
        var y = half * logit;
        var s = y * y;
        var series = half + half * (y * Pn(s) / (Vector512<float>.One + s * Pr(s)));
        var u = Vector512.Exp(-a);
        var q = Vector512<float>.One / (Vector512<float>.One - u);
        var r = Vector512<float>.One / a;
        var closed = Vector512.ConditionalSelect(Vector512.GreaterThan(logit, Vector512<float>.Zero), q - r, r - u * q);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(SeriesBound)), series, closed);
    }

    // ---- variance (= d mean / dℓ, the mean's backward) ----

    /// <summary>Var[x] = d E[x] / dℓ = 1/ℓ² − 1/(4 sinh²(ℓ/2)), 1/12 at ℓ = 0, even, tending to 1/ℓ².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Variance(float logit)
    {
        float a = MathF.Abs(logit);
        if (a < SeriesBound)
        {
            float y = 0.5f * a, s = y * y;
            float p = Pr(s), h = s * p, d = 1f + h;
            return p * (2f + h) / (4f * d * d);
        }
        float u = MathF.Exp(-a);
        float r = 1f / a, w = 1f - u;
        return r * r - u / (w * w);
    }

    /// <inheritdoc cref="Variance(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Variance(Vector256<float> logit)
    {
        var a = Vector256.Abs(logit);
        var y = Vector256.Create(0.5f) * a;
        var s = y * y;
        var p = Pr(s);
        var h = s * p;
        var d = Vector256<float>.One + h;
        var series = p * (Vector256.Create(2f) + h) / (Vector256.Create(4f) * d * d);
        var u = Vector256.Exp(-a);
        var r = Vector256<float>.One / a;
        var w = Vector256<float>.One - u;
        var closed = r * r - u / (w * w);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(SeriesBound)), series, closed);
    }

    /// <inheritdoc cref="Variance(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Variance(Vector512<float> logit)
    {
        var a = Vector512.Abs(logit);
        var y = Vector512.Create(0.5f) * a;
        var s = y * y;
        var p = Pr(s);
        var h = s * p;
        var d = Vector512<float>.One + h;
        var series = p * (Vector512.Create(2f) + h) / (Vector512.Create(4f) * d * d);
        var u = Vector512.Exp(-a);
        var r = Vector512<float>.One / a;
        var w = Vector512<float>.One - u;
        var closed = r * r - u / (w * w);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(SeriesBound)), series, closed);
    }

    // ---- the log normalizer and its derivative (the NLL does not need them; they are the distribution's own) ----

    /// <summary>log C(ℓ) = log(ℓ / tanh(ℓ/2)) = log(2 atanh(1 − 2λ)/(1 − 2λ)), even, log 2 at ℓ = 0
    /// (≈ log 2 + ℓ²/12 − 7ℓ⁴/1440 + 31ℓ⁶/90720 near 0), tending to log|ℓ|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LogNormalizer(float logit)
    {
        float a = MathF.Abs(logit);
        if (a < SeriesBound)
        {
            float y = 0.5f * a, s = y * y;
            return Ln2 + StableMath.Log1p(s * Pn(s) / (1f + s * Pr(s)));
        }
        float u = MathF.Exp(-a);
        return MathF.Log(a * (1f + u) / (1f - u));
    }

    /// <inheritdoc cref="LogNormalizer(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LogNormalizer(Vector256<float> logit)
    {
        var a = Vector256.Abs(logit);
        var y = Vector256.Create(0.5f) * a;
        var s = y * y;
        var series = Vector256.Create(Ln2) + StableMath.Log1p(s * Pn(s) / (Vector256<float>.One + s * Pr(s)));
        var u = Vector256.Exp(-a);
        var closed = Vector256.Log(a * (Vector256<float>.One + u) / (Vector256<float>.One - u));
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(SeriesBound)), series, closed);
    }

    /// <inheritdoc cref="LogNormalizer(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LogNormalizer(Vector512<float> logit)
    {
        var a = Vector512.Abs(logit);
        var y = Vector512.Create(0.5f) * a;
        var s = y * y;
        var series = Vector512.Create(Ln2) + StableMath.Log1p(s * Pn(s) / (Vector512<float>.One + s * Pr(s)));
        var u = Vector512.Exp(-a);
        var closed = Vector512.Log(a * (Vector512<float>.One + u) / (Vector512<float>.One - u));
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(SeriesBound)), series, closed);
    }

    /// <summary>d log C / dℓ = 1/ℓ − 1/sinh ℓ = sigmoid(ℓ) − mean(ℓ), odd, ≈ ℓ/6 − 7ℓ³/360 near 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LogNormalizerGrad(float logit)
    {
        float a = MathF.Abs(logit);
        if (a < SeriesBound)
        {
            float s = logit * logit, p = Pr(s);
            return logit * p / (1f + s * p);
        }
        float u = MathF.Exp(-a);
        return MathF.CopySign(1f / a - 2f * u / (1f - u * u), logit);
    }

    /// <inheritdoc cref="LogNormalizerGrad(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LogNormalizerGrad(Vector256<float> logit)
    {
        var a = Vector256.Abs(logit);
        var s = logit * logit;
        var p = Pr(s);
        var series = logit * p / (Vector256<float>.One + s * p);
        var u = Vector256.Exp(-a);
        var closed = Vector256.CopySign(Vector256<float>.One / a - Vector256.Create(2f) * u / (Vector256<float>.One - u * u), logit);
        return Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256.Create(SeriesBound)), series, closed);
    }

    /// <inheritdoc cref="LogNormalizerGrad(float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LogNormalizerGrad(Vector512<float> logit)
    {
        var a = Vector512.Abs(logit);
        var s = logit * logit;
        var p = Pr(s);
        var series = logit * p / (Vector512<float>.One + s * p);
        var u = Vector512.Exp(-a);
        var closed = Vector512.CopySign(Vector512<float>.One / a - Vector512.Create(2f) * u / (Vector512<float>.One - u * u), logit);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(SeriesBound)), series, closed);
    }
}
