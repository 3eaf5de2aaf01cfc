using Elbo.Engine.Kernels;
using Elbo.Engine.Kernels.Common;
using static Elbo.Engine.Tests.Kernels.KernelTestSupport;

namespace Elbo.Engine.Tests.Kernels;

public class OptimizerKernelTests
{
    private static float[] Weights(Generator g, int n) => Sample(g, n, -2f, 2f);
    private static float[] Grads(Generator g, int n) => Sample(g, n, -0.5f, 0.5f);

    // First moments around zero, every ninth one subnormal (the flush to zero must happen at every width).
    private static float[] FirstMoments(Generator g, int n)
    {
        var m = Sample(g, n, -0.1f, 0.1f);
        for (int i = 0; i < n; i += 9) m[i] = (i % 2 == 0 ? 1 : -1) * 1e-39f;
        return m;
    }

    private static float[] SecondMoments(Generator g, int n)
    {
        var v = Sample(g, n, 0f, 0.01f);
        for (int i = 4; i < n; i += 9) v[i] = 3e-40f;
        return v;
    }

    private static void CheckAdam(AdamStepOperator op, string name) => CheckUpdate3(op, Weights, FirstMoments, SecondMoments, Grads, name);

    [Fact] public void AdamStepMatchesScalarReferenceAtEveryLength() => CheckAdam(new AdamStepOperator(1e-3, 0.9, 0.999, 1e-8, 0, false, 1), "adam");
    [Fact] public void AdamStepWithL2MatchesScalarReferenceAtEveryLength() => CheckAdam(new AdamStepOperator(1e-2, 0.9, 0.99, 1e-6, 0.3, false, 7), "adam_l2");
    [Fact] public void AdamWStepMatchesScalarReferenceAtEveryLength() => CheckAdam(new AdamStepOperator(1e-2, 0.9, 0.999, 1e-8, 0.5, true, 3), "adamw");
    [Fact] public void AdamStepWithSmallBeta1MatchesScalarReferenceAtEveryLength() => CheckAdam(new AdamStepOperator(1e-3, 0.3, 0.999, 1e-8, 0, false, 2), "adam_lerp_high");

    [Fact] public void SgdStepMatchesScalarReferenceAtEveryLength() => CheckBinary(new SgdStepOperator(0.1, 0, 0, 0, false, false), (-2f, 2f), (-0.5f, 0.5f), "sgd");
    [Fact] public void SgdStepWithWeightDecayMatchesScalarReferenceAtEveryLength() => CheckBinary(new SgdStepOperator(0.1, 0, 0, 0.2, false, false), (-2f, 2f), (-0.5f, 0.5f), "sgd_l2");
    [Fact] public void SgdMomentumFirstStepMatchesScalarReferenceAtEveryLength() => CheckUpdate2(new SgdStepOperator(0.1, 0.9, 0.1, 0.01, false, true), Weights, Grads, Grads, "sgd_momentum_first");
    [Fact] public void SgdMomentumMatchesScalarReferenceAtEveryLength() => CheckUpdate2(new SgdStepOperator(0.1, 0.9, 0.1, 0.01, false, false), Weights, Grads, Grads, "sgd_momentum");
    [Fact] public void SgdNesterovMatchesScalarReferenceAtEveryLength() => CheckUpdate2(new SgdStepOperator(0.05, 0.8, 0, 0, true, false), Weights, Grads, Grads, "sgd_nesterov");

    [Fact]
    public void AdamStepScalarFormFollowsTheFormulaAndFlushesSubnormalMoments()
    {
        var op = new AdamStepOperator(0.1, 0.9, 0.999, 1e-8, 0, false, 1);
        float p = 1f, m = 0f, v = 0f;
        op.Invoke(ref p, ref m, ref v, 0.5f);
        Assert.Equal(0.9f, p, 5);                 // t = 1: a full lr step against the gradient's sign
        Assert.Equal(0.05f, m, 6);
        Assert.Equal(0.00025f, v, 7);
        float q = 1f, mt = 1e-39f, vt = 1e-39f;
        op.Invoke(ref q, ref mt, ref vt, 0f);
        Assert.Equal(0f, mt);
        Assert.Equal(0f, vt);
        Assert.Equal(1f, q);
    }

    [Fact]
    public void UpdateDriverRejectsDifferentLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => UpdateDriver.Apply(new float[4], new float[4], new float[3], new float[4], new AdamStepOperator(1e-3, 0.9, 0.999, 1e-8, 0, false, 1)));
        Assert.StartsWith("update kernel: inputs of lengths 4, 3, 4 and destination of length 4 differ", e.Message);
        e = Assert.Throws<ArgumentException>(() => UpdateDriver.Apply(new float[4], new float[5], new float[4], new SgdStepOperator(0.1, 0.9, 0, 0, false, false)));
        Assert.StartsWith("update kernel: inputs of lengths 5, 4 and destination of length 4 differ", e.Message);
    }
}
