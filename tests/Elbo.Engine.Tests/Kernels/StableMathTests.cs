using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Tests.Kernels;

/// <summary>StableMath's building blocks against double precision.</summary>
public class StableMathTests
{
    // x from 0 to 110 (past the end of float's exp, into the subnormal and zero results) in steps fine enough to
    // cross every part of the polynomial's interval u = e^(−|x|) ∈ [0, 1], both signs, and the tiny values near 0
    private static IEnumerable<float> Sweep()
    {
        for (int i = 0; i <= 110_000; i++)
        {
            float x = i * 1e-3f;
            yield return x;
            yield return -x;
        }
        for (float x = 1e-30f; x < 1e-3f; x *= 1.7f) yield return x;
    }

    // how many float steps v is from the exact value (at least one float step apart counts as 1 where exact is 0)
    private static double Ulps(float v, double exact)
    {
        float e = (float)exact;
        double ulp = MathF.BitIncrement(MathF.Abs(e)) - MathF.Abs(e);
        return Math.Abs(v - exact) / ulp;
    }

    [Fact]
    public void Log1pExpNegAbsIsWithinThreeUlpsEverywhereInScalarAndVectorForms()
    {
        var xs = Sweep().ToArray();
        double worstScalar = 0, worst256 = 0, worst512 = 0;
        float worstX = 0;
        for (int i = 0; i + 16 <= xs.Length; i += 16)
        {
            var v256 = StableMath.Log1pExpNegAbs(Vector256.Create(xs.AsSpan(i, 8)));
            var v512 = Vector512.IsHardwareAccelerated ? StableMath.Log1pExpNegAbs(Vector512.Create(xs.AsSpan(i, 16))) : default;
            for (int k = 0; k < 16; k++)
            {
                float x = xs[i + k];
                double exact = ContinuousBernoulliReference.Log1p(Math.Exp(-Math.Abs((double)x)));   // (double.LogP1 is log(1 + z): 0 for tiny z)
                double us = Ulps(StableMath.Log1pExpNegAbs(x), exact);
                if (us > worstScalar) { worstScalar = us; worstX = x; }
                if (k < 8) worst256 = Math.Max(worst256, Ulps(v256[k], exact));
                if (Vector512.IsHardwareAccelerated) worst512 = Math.Max(worst512, Ulps(v512[k], exact));
            }
        }
        Assert.True(worstScalar <= 3, $"scalar: {worstScalar:F2} ulp at x = {worstX}: {StableMath.Log1pExpNegAbs(worstX)}");
        Assert.True(worst256 <= 3, $"Vector256: {worst256:F2} ulp");
        Assert.True(worst512 <= 3, $"Vector512: {worst512:F2} ulp");
    }

    [Fact]
    public void Log1pExpNegAbsKeepsTheEnds()
    {
        Assert.Equal(MathF.Log(2f), StableMath.Log1pExpNegAbs(0f), 7);
        Assert.Equal(0f, StableMath.Log1pExpNegAbs(float.PositiveInfinity));
        Assert.Equal(0f, StableMath.Log1pExpNegAbs(float.NegativeInfinity));
        Assert.True(float.IsNaN(StableMath.Log1pExpNegAbs(float.NaN)));
        Assert.Equal(MathF.Exp(-50f), StableMath.Log1pExpNegAbs(50f), MathF.Exp(-50f) * 1e-6f);   // log1p(u) = u for tiny u
        var v = StableMath.Log1pExpNegAbs(Vector256.Create(0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 50f, -50f, 1e-30f, 200f));
        Assert.Equal(StableMath.Log1pExpNegAbs(0f), v[0]);
        Assert.Equal(0f, v[1]);
        Assert.Equal(0f, v[2]);
        Assert.True(float.IsNaN(v[3]));
        Assert.Equal(0f, v[7]);
    }
}
