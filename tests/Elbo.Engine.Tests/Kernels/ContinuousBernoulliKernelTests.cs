using System.Runtime.Intrinsics;
using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;
using Xunit.Abstractions;
using static Elbo.Engine.Tests.Kernels.KernelTestSupport;

namespace Elbo.Engine.Tests.Kernels;

/// <summary>The continuous Bernoulli in double precision, from the textbook formulas (series only where a formula
/// cancels in double too): the oracle of the float kernels.</summary>
internal static class ContinuousBernoulliReference
{
    public static double Log1p(double z)
    {
        double w = 1 + z;
        return w == 1 ? z : Math.Log(w) * (z / (w - 1));
    }

    public static double Bce(double l, double x) => Math.Max(l, 0) - l * x + Log1p(Math.Exp(-Math.Abs(l)));

    /// <summary>log C = log(ℓ / tanh(ℓ/2)), log 2 + ℓ²/12 − 7ℓ⁴/1440 + 31ℓ⁶/90720 below 1e-3.</summary>
    public static double LogC(double l)
    {
        double a = Math.Abs(l);
        if (a < 1e-3) return Math.Log(2) + a * a / 12 - 7 * Math.Pow(a, 4) / 1440 + 31 * Math.Pow(a, 6) / 90720;
        return Math.Log(a / Math.Tanh(a / 2));
    }

    /// <summary>d log C / dℓ = 1/ℓ − 1/sinh ℓ, ℓ/6 − 7ℓ³/360 + 31ℓ⁵/15120 below 1e-2.</summary>
    public static double LogCGrad(double l)
        => Math.Abs(l) < 1e-2 ? l / 6 - 7 * l * l * l / 360 + 31 * Math.Pow(l, 5) / 15120 : 1 / l - 1 / Math.Sinh(l);

    public static double Nll(double l, double x) => Bce(l, x) - LogC(l);

    /// <summary>E[x] = 1/(1 − e^(−ℓ)) − 1/ℓ, ½ + ℓ/12 − ℓ³/720 + ℓ⁵/30240 below 1e-3.</summary>
    public static double Mean(double l)
        => Math.Abs(l) < 1e-3 ? 0.5 + l / 12 - l * l * l / 720 + Math.Pow(l, 5) / 30240 : 1 / (1 - Math.Exp(-l)) - 1 / l;

    /// <summary>Var[x] = 1/ℓ² − 1/(4 sinh²(ℓ/2)), 1/12 − ℓ²/240 + ℓ⁴/6048 below 1e-2.</summary>
    public static double Variance(double l)
    {
        if (Math.Abs(l) < 1e-2) return 1.0 / 12 - l * l / 240 + Math.Pow(l, 4) / 6048;
        double s = Math.Sinh(l / 2);
        return 1 / (l * l) - 1 / (4 * s * s);
    }

    /// <summary>A sweep of logits: 0, ±10^k for k from −8 to 4 in steps of 1/50, a dense band across the series bound,
    /// and the 16 floats either side of it.</summary>
    public static IEnumerable<float> Sweep()
    {
        yield return 0f;
        for (int i = -400; i <= 200; i++)
        {
            float v = MathF.Pow(10f, i / 50f);
            yield return v;
            yield return -v;
        }
        float b = ContinuousBernoulliMath.SeriesBound;
        for (int i = -200; i <= 200; i++)
        {
            yield return b + i * 1e-3f;
            yield return -(b + i * 1e-3f);
        }
        float up = b, down = b;
        for (int k = 0; k < 16; k++, up = MathF.BitIncrement(up), down = MathF.BitDecrement(down))
        {
            yield return up;
            yield return down;
            yield return -up;
            yield return -down;
        }
    }
}

public class ContinuousBernoulliKernelTests(ITestOutputHelper output)
{
    private static readonly (float, float) Logit = (-12f, 12f);
    private static readonly (float, float) NearZero = (-0.5f, 0.5f);
    private static readonly (float, float) Wide = (-200f, 200f);
    private static readonly (float, float) Unit = (0f, 1f);
    private static readonly (float, float) Val = (-3f, 3f);
    private const double Ulp = 1.0 / (1 << 24);

    // The distribution's own functions as operators, so the drivers run their vector paths too.
    private readonly struct LogNormalizerOp : IUnaryOperator
    {
        public float Invoke(float x) => ContinuousBernoulliMath.LogNormalizer(x);
        public Vector256<float> Invoke(Vector256<float> x) => ContinuousBernoulliMath.LogNormalizer(x);
        public Vector512<float> Invoke(Vector512<float> x) => ContinuousBernoulliMath.LogNormalizer(x);
    }

    private readonly struct LogNormalizerGradOp : IUnaryOperator
    {
        public float Invoke(float x) => ContinuousBernoulliMath.LogNormalizerGrad(x);
        public Vector256<float> Invoke(Vector256<float> x) => ContinuousBernoulliMath.LogNormalizerGrad(x);
        public Vector512<float> Invoke(Vector512<float> x) => ContinuousBernoulliMath.LogNormalizerGrad(x);
    }

    [Fact] public void NllMatchesScalarReferenceAtEveryLength() => CheckBinary(new ContinuousBernoulliWithLogitsOperator(), Logit, Unit, "cb_nll");
    [Fact] public void NllNearZeroMatchesScalarReferenceAtEveryLength() => CheckBinary(new ContinuousBernoulliWithLogitsOperator(), NearZero, Unit, "cb_nll_near_0");
    [Fact] public void NllForLargeLogitsMatchesScalarReferenceAtEveryLength() => CheckBinary(new ContinuousBernoulliWithLogitsOperator(), Wide, Unit, "cb_nll_wide");
    [Fact] public void GradMatchesScalarReferenceAtEveryLength() => CheckBinary(new ContinuousBernoulliWithLogitsGradOperator(0.3f), Logit, Unit, "cb_grad");
    [Fact] public void GradWithUpstreamMatchesScalarReferenceAtEveryLength() => CheckTernary(new ContinuousBernoulliWithLogitsGradOperator(1f), Logit, Unit, Val, "cb_grad_dy");
    [Fact] public void GradForLargeLogitsMatchesScalarReferenceAtEveryLength() => CheckBinary(new ContinuousBernoulliWithLogitsGradOperator(1f), Wide, Unit, "cb_grad_wide");
    [Fact] public void MeanMatchesScalarReferenceAtEveryLength() => CheckUnary(new ContinuousBernoulliMeanOperator(), -12f, 12f, "cb_mean");
    [Fact] public void MeanForLargeLogitsMatchesScalarReferenceAtEveryLength() => CheckUnary(new ContinuousBernoulliMeanOperator(), -200f, 200f, "cb_mean_wide");
    [Fact] public void MeanBackwardMatchesScalarReferenceAtEveryLength() => CheckBinary(new ContinuousBernoulliMeanBackwardOperator(), Logit, Val, "cb_mean_backward");
    [Fact] public void LogNormalizerMatchesScalarReferenceAtEveryLength() => CheckUnary(new LogNormalizerOp(), -12f, 12f, "cb_log_c");
    [Fact] public void LogNormalizerGradMatchesScalarReferenceAtEveryLength() => CheckUnary(new LogNormalizerGradOp(), -12f, 12f, "cb_log_c_grad");

    private static double MaxRelativeError(Func<float, float> f, Func<double, double> reference, IEnumerable<float> points, out float worst)
    {
        double max = 0;
        worst = float.NaN;
        foreach (float l in points)
        {
            double r = reference(l);
            double e = r == 0 ? Math.Abs(f(l)) : Math.Abs(f(l) - r) / Math.Abs(r);
            if (e > max) { max = e; worst = l; }
        }
        return max;
    }

    [Fact]
    public void LogNormalizerAndItsDerivativeAreWithinAFewUlpOverTheSweep()
    {
        var points = ContinuousBernoulliReference.Sweep().ToArray();
        double logC = MaxRelativeError(ContinuousBernoulliMath.LogNormalizer, ContinuousBernoulliReference.LogC, points, out float atLogC);
        double grad = MaxRelativeError(ContinuousBernoulliMath.LogNormalizerGrad, ContinuousBernoulliReference.LogCGrad, points, out float atGrad);
        double mean = MaxRelativeError(ContinuousBernoulliMath.Mean, ContinuousBernoulliReference.Mean, points, out float atMean);
        double variance = MaxRelativeError(ContinuousBernoulliMath.Variance, ContinuousBernoulliReference.Variance, points.Where(l => MathF.Abs(l) < 1e18f), out float atVar);
        output.WriteLine($"{points.Length} logits; max relative error (units of 2^-24): log C {logC:G3} ({logC / Ulp:F2}) at {atLogC:G9}, "
            + $"d log C {grad:G3} ({grad / Ulp:F2}) at {atGrad:G9}, mean {mean:G3} ({mean / Ulp:F2}) at {atMean:G9}, "
            + $"variance {variance:G3} ({variance / Ulp:F2}) at {atVar:G9}");
        Assert.True(logC <= 3 * Ulp, $"log C: {logC:G3} at {atLogC}");
        Assert.True(grad <= 5 * Ulp, $"d log C: {grad:G3} at {atGrad}");
        Assert.True(mean <= 4 * Ulp, $"mean: {mean:G3} at {atMean}");
        Assert.True(variance <= 8 * Ulp, $"variance: {variance:G3} at {atVar}");
    }

    [Fact]
    public void NllAndGradMatchDoubleReferenceOverTheSweep()
    {
        double maxNll = 0, maxGrad = 0;
        foreach (float l in ContinuousBernoulliReference.Sweep())
            foreach (float x in new[] { 0f, 0.1f, 0.3f, 0.5f, 0.77f, 1f })
            {
                double r = ContinuousBernoulliReference.Nll(l, x);
                // the NLL's own scale: the sizes of the terms it is a sum of (BCE's and log C's), so a cancellation
                // that the inputs already carry (x·ℓ against max(ℓ, 0)) is not counted against the kernel.
                double scale = Math.Abs(ContinuousBernoulliReference.Bce(l, x)) + Math.Abs(ContinuousBernoulliReference.LogC(l));
                double e = Math.Abs(new ContinuousBernoulliWithLogitsOperator().Invoke(l, x) - r) / scale;
                maxNll = Math.Max(maxNll, e);
                Assert.True(e <= 4 * Ulp, $"nll({l:G9}, {x}) = {new ContinuousBernoulliWithLogitsOperator().Invoke(l, x):G9}, reference {r:G17}");
                double g = ContinuousBernoulliReference.Mean(l) - x;
                double eg = Math.Abs(new ContinuousBernoulliWithLogitsGradOperator(1f).Invoke(l, x) - g);
                maxGrad = Math.Max(maxGrad, eg);
                Assert.True(eg <= 4 * Ulp, $"nll'({l:G9}, {x}) = {new ContinuousBernoulliWithLogitsGradOperator(1f).Invoke(l, x):G9}, reference {g:G17}");
            }
        output.WriteLine($"nll: max error relative to |bce| + |log C| {maxNll:G3} ({maxNll / Ulp:F2} × 2^-24); grad: max abs error {maxGrad:G3}");
    }

    [Fact]
    public void SeriesAndClosedFormsMeetContinuouslyAtTheSeriesBound()
    {
        float b = ContinuousBernoulliMath.SeriesBound;
        foreach (float sign in new[] { 1f, -1f })
        {
            float below = sign * MathF.BitDecrement(b), at = sign * b;
            // across one float step the functions move by their derivative times the step (< 3e-7 here); a seam would
            // show as a jump of many ulp.
            Assert.True(Math.Abs(ContinuousBernoulliMath.LogNormalizer(below) - ContinuousBernoulliMath.LogNormalizer(at)) <= 4e-7, "log C");
            Assert.True(Math.Abs(ContinuousBernoulliMath.LogNormalizerGrad(below) - ContinuousBernoulliMath.LogNormalizerGrad(at)) <= 2e-7, "d log C");
            Assert.True(Math.Abs(ContinuousBernoulliMath.Mean(below) - ContinuousBernoulliMath.Mean(at)) <= 2e-7, "mean");
            Assert.True(Math.Abs(ContinuousBernoulliMath.Variance(below) - ContinuousBernoulliMath.Variance(at)) <= 1e-7, "variance");
            foreach (float x in new[] { 0f, 0.5f, 1f })
                Assert.True(Math.Abs(ContinuousBernoulliMath.Nll(below, x) - ContinuousBernoulliMath.Nll(at, x)) <= 1e-6, $"nll x={x}");
        }
    }

    [Fact]
    public void ValuesAtZeroAreTheUniformDistributions()
    {
        Assert.Equal(0f, ContinuousBernoulliMath.Nll(0f, 0.3f));
        Assert.Equal(0.5f, ContinuousBernoulliMath.Mean(0f));
        Assert.Equal(MathF.Log(2f), ContinuousBernoulliMath.LogNormalizer(0f));
        Assert.Equal(0f, ContinuousBernoulliMath.LogNormalizerGrad(0f));
        Assert.Equal(1f / 12f, ContinuousBernoulliMath.Variance(0f), 7);
        var zeros = new float[37];
        var means = new float[37];
        UnaryDriver.Apply(zeros, means, op: new ContinuousBernoulliMeanOperator());
        Assert.All(means, m => Assert.Equal(0.5f, m));
    }

    [Theory]
    [InlineData(-30f)]
    [InlineData(-4f)]
    [InlineData(-0.7f)]
    [InlineData(-1e-4f)]
    [InlineData(0f)]
    [InlineData(0.003f)]
    [InlineData(1f)]
    [InlineData(3.999f)]
    [InlineData(4f)]
    [InlineData(12f)]
    [InlineData(30f)]
    public void DensityIntegratesToOne(float logit)
    {
        // composite Simpson over [0,1] in double, once through log C (with the exact Bernoulli terms) and once through
        // the loss kernel's −NLL; the density is smooth, so 4000 intervals leave a quadrature error far below 1e-9.
        const int n = 4000;
        double logLambda = -Softplus(-logit), log1mLambda = -Softplus(logit);
        double logC = ContinuousBernoulliMath.LogNormalizer(logit);
        double viaLogC = 0, viaNll = 0;
        for (int i = 0; i <= n; i++)
        {
            double x = (double)i / n;
            double w = i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2;
            viaLogC += w * Math.Exp(logC + x * logLambda + (1 - x) * log1mLambda);
            viaNll += w * Math.Exp(-(double)ContinuousBernoulliMath.Nll(logit, (float)x));
        }
        viaLogC /= 3 * n;
        viaNll /= 3 * n;
        Assert.True(Math.Abs(viaLogC - 1) <= 4e-7, $"∫p through log C at ℓ={logit}: {viaLogC:G12}");
        // the kernel rounds x to float and its NLL (up to |ℓ|) to float: a relative density error of ~|ℓ|·1e-7
        Assert.True(Math.Abs(viaNll - 1) <= 1e-7 * (4 + Math.Abs(logit)), $"∫exp(−nll) at ℓ={logit}: {viaNll:G12}");

        static double Softplus(double v) => Math.Max(v, 0) + ContinuousBernoulliReference.Log1p(Math.Exp(-Math.Abs(v)));
    }

    // From PyTorch (torch.distributions.ContinuousBernoulli(logits=...), float64): Fixtures/make_continuous_bernoulli.py.
    // (logit, target, −log_prob, mean); logit and target are float32 numbers, so both sides see the same input.
    public static readonly (double Logit, double Target, double Nll, double Mean)[] TorchGolden =
    [
        (-30.0, 0.0, -3.401197381662249, 0.033333333333239755),
        (-30.0, 0.30000001192092896, 5.59880297596562, 0.033333333333239755),
        (-30.0, 1.0, 26.59880261833775, 0.033333333333239755),
        (-12.0, 0.0, -2.4849127940192295, 0.08332718908322842),
        (-12.0, 0.30000001192092896, 1.115087349031918, 0.08332718908322842),
        (-12.0, 1.0, 9.51508720598077, 0.08332718908322842),
        (-7.5, 0.0, -2.015456257919993, 0.13277994289158157),
        (-7.5, 0.30000001192092896, 0.23454383148697433, 0.13277994289158157),
        (-7.5, 1.0, 5.484543742080007, 0.13277994289158157),
        (-2.0, 0.0, -0.8385606384288042, 0.3434823572503344),
        (-2.0, 0.30000001192092896, -0.23856061458694633, 0.3434823572503344),
        (-2.0, 1.0, 1.1614393615711958, 0.3434823572503344),
        (-0.699999988079071, 0.0, -0.3296660535989621, 0.44213756590650277),
        (-0.699999988079071, 0.30000001192092896, -0.11966604883059073, 0.44213756590650277),
        (-0.699999988079071, 1.0, 0.3703339344801089, 0.44213756590650277),
        (-0.05000000074505806, 0.0, -0.02489583587280919, 0.4958335068720636),
        (-0.05000000074505806, 0.30000001192092896, -0.009895835053245317, 0.4958335068720636),
        (-0.05000000074505806, 1.0, 0.02510416487224887, 0.4958335068720636),
        (0.009999999776482582, 0.0, 0.005004166551256017, 0.5008333319251079),
        (0.009999999776482582, 0.30000001192092896, 0.002004166499101956, 0.5008333319251079),
        (0.009999999776482582, 1.0, -0.004995833225226565, 0.5008333319251079),
        (0.30000001192092896, 0.0, 0.15374719776913115, 0.5249625811657053),
        (0.30000001192092896, 0.30000001192092896, 0.06374719061657363, 0.5249625811657053),
        (0.30000001192092896, 1.0, -0.1462528141517978, 0.5249625811657053),
        (1.0, 0.0, 0.5413248546129181, 0.5819767068693265),
        (1.0, 0.30000001192092896, 0.24132484269198917, 0.5819767068693265),
        (1.0, 1.0, -0.4586751453870818, 0.5819767068693265),
        (3.990000009536743, 0.0, 2.58753580242755, 0.7682218382091635),
        (3.990000009536743, 0.30000001192092896, 1.3905357520020198, 0.7682218382091635),
        (3.990000009536743, 1.0, -1.4024642071091935, 0.7682218382091635),
        (4.0, 0.0, 2.5952201920542226, 0.7686573603637741),
        (4.0, 0.30000001192092896, 1.395220144370507, 0.7686573603637741),
        (4.0, 1.0, -1.4047798079457774, 0.7686573603637741),
        (4.010000228881836, 0.0, 2.602909114494501, 0.76909173932774),
        (4.010000228881836, 0.30000001192092896, 1.3999089980270223, 0.76909173932774),
        (4.010000228881836, 1.0, -1.407091114387335, 0.76909173932774),
        (12.0, 0.0, 9.51508720598067, 0.91667281091678),
        (12.0, 0.30000001192092896, 5.915087062929523, 0.91667281091678),
        (12.0, 1.0, -2.4849127940193303, 0.91667281091678),
    ];

    [Fact]
    public void NllAndMeanMatchPyTorch()
    {
        double maxNll = 0, maxMean = 0;
        foreach (var (l, t, nll, mean) in TorchGolden)
        {
            float fl = (float)l, ft = (float)t;
            Assert.Equal(l, fl);
            Assert.Equal(t, ft);
            float[] logits = [fl], targets = [ft], loss = new float[1], means = new float[1];
            BinaryDriver.Apply(logits, targets, loss, op: new ContinuousBernoulliWithLogitsOperator());
            UnaryDriver.Apply(logits, means, op: new ContinuousBernoulliMeanOperator());
            double e = Math.Abs(loss[0] - nll) / (Math.Abs(nll) + 1);
            double em = Math.Abs(means[0] - mean) / mean;
            maxNll = Math.Max(maxNll, e);
            maxMean = Math.Max(maxMean, em);
            Assert.True(e <= 4e-7, $"nll({l}, {t}) = {loss[0]:G9}, torch {nll:G17}");
            Assert.True(em <= 3e-7, $"mean({l}) = {means[0]:G9}, torch {mean:G17}");
            // and the double reference agrees with torch in this range
            Assert.True(Math.Abs(ContinuousBernoulliReference.Nll(fl, ft) - nll) <= 1e-10 * (Math.Abs(nll) + 1), $"reference nll({l}, {t})");
            Assert.True(Math.Abs(ContinuousBernoulliReference.Mean(fl) - mean) <= 1e-10, $"reference mean({l})");
        }
        output.WriteLine($"vs torch: nll max |err|/(|nll|+1) {maxNll:G3}, mean max rel err {maxMean:G3}");
    }

    [Fact]
    public void NearHalfTheNllFollowsTheDoubleReference()
    {
        // torch's Taylor band λ ∈ (0.499, 0.501), |ℓ| < 0.004: checked against the double reference instead.
        for (float l = -0.005f; l <= 0.005f; l += 0.00025f)
            foreach (float x in new[] { 0f, 0.5f, 1f })
            {
                double r = ContinuousBernoulliReference.Nll(l, x);
                Assert.True(Math.Abs(ContinuousBernoulliMath.Nll(l, x) - r) <= 1e-9 + 2 * Ulp * Math.Abs(r), $"nll({l}, {x})");
                Assert.True(Math.Abs(ContinuousBernoulliMath.Mean(l) - ContinuousBernoulliReference.Mean(l)) <= 0.5 * Ulp, $"mean({l})");
            }
    }

    [Fact]
    public void IsFiniteForLargeLogits()
    {
        float[] x = [1e4f, -1e4f, 100f, -100f, 88f, -88f, 89f, -89f, 1e30f, -1e30f, 3e38f, -3e38f, 80f, -80f, 0f, 1e-4f, -1e-30f, 1e-45f];
        foreach (float t in new[] { 0f, 0.5f, 1f })
        {
            var target = Enumerable.Repeat(t, x.Length).ToArray();
            var loss = new float[x.Length];
            var grad = new float[x.Length];
            var mean = new float[x.Length];
            var vgrad = new float[x.Length];
            BinaryDriver.Apply(x, target, loss, op: new ContinuousBernoulliWithLogitsOperator());
            BinaryDriver.Apply(x, target, grad, op: new ContinuousBernoulliWithLogitsGradOperator(1f));
            UnaryDriver.Apply(x, mean, op: new ContinuousBernoulliMeanOperator());
            BinaryDriver.Apply(x, target, vgrad, op: new ContinuousBernoulliMeanBackwardOperator());
            for (int i = 0; i < x.Length; i++)
            {
                Assert.True(float.IsFinite(loss[i]), $"nll({x[i]}, {t}) = {loss[i]}");
                Assert.True(float.IsFinite(grad[i]) && MathF.Abs(grad[i]) <= 1f, $"nll'({x[i]}, {t}) = {grad[i]}");
                Assert.True(mean[i] >= 0f && mean[i] <= 1f, $"mean({x[i]}) = {mean[i]}");
                Assert.True(float.IsFinite(vgrad[i]) && vgrad[i] >= 0f, $"var({x[i]}) = {vgrad[i]}");
                if (MathF.Abs(x[i]) <= 1e4f)
                {
                    double expected = ContinuousBernoulliReference.Nll(x[i], t);
                    Assert.True(Math.Abs(loss[i] - expected) <= 2e-7 * (Math.Abs(x[i]) + 1), $"nll({x[i]}, {t}) = {loss[i]}, expected {expected}");
                }
            }
        }
    }

    [Fact]
    public void NllIsBceMinusLogNormalizer()
    {
        var g = new Generator(21);
        var l = Sample(g, 1000, -20f, 20f);
        var t = Sample(g, 1000, 0f, 1f);
        for (int i = 0; i < l.Length; i++)
        {
            double viaParts = new BceWithLogitsOperator().Invoke(l[i], t[i]) - (double)ContinuousBernoulliMath.LogNormalizer(l[i]);
            Assert.True(Math.Abs(ContinuousBernoulliMath.Nll(l[i], t[i]) - viaParts) <= 1e-6 * (1 + Math.Abs(l[i])), $"at ({l[i]}, {t[i]})");
            double gradViaParts = StableMath.Sigmoid(l[i]) - t[i] - (double)ContinuousBernoulliMath.LogNormalizerGrad(l[i]);
            Assert.True(Math.Abs(new ContinuousBernoulliWithLogitsGradOperator(1f).Invoke(l[i], t[i]) - gradViaParts) <= 3e-7, $"grad at ({l[i]}, {t[i]})");
        }
    }

    [Fact]
    public void SumReductionMatchesScalarReference()
    {
        var g = new Generator(6);
        foreach (int n in new[] { 0, 1, 7, 1023, 1024, 1025, 5000, ParallelLength })
        {
            var x = Sample(g, n, -8f, 8f);
            var t = Sample(g, n, 0f, 1f);
            double s = ReduceDriver.Sum(x, t, new ContinuousBernoulliWithLogitsOperator());
            double r = ReduceDriver.ReferenceSum(x, t, new ContinuousBernoulliWithLogitsOperator());
            double mag = 0;
            for (int i = 0; i < n; i++) mag += Math.Abs(new ContinuousBernoulliWithLogitsOperator().Invoke(x[i], t[i]));
            Assert.True(Math.Abs(s - r) <= 1e-5 * mag + 1e-5, $"cb sum n={n}: {s} vs {r}");
        }
    }
}
