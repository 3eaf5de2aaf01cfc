using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Tests.Kernels;

/// <summary>Runs a driver against its scalar reference at every length 0..257, at every width, assigning and
/// accumulating, and once above the parallel threshold.</summary>
internal static class KernelTestSupport
{
    public static readonly KernelWidth[] Widths = [KernelWidth.Scalar, KernelWidth.Vector256, KernelWidth.Vector512];
    public const int MaxLength = 257;
    public const int ParallelLength = KernelConfig.ParallelThreshold + 1234 + 7;

    public static float[] Sample(Generator g, int n, float lo, float hi)
    {
        var a = new float[n];
        g.FillUniform(a, lo, hi);
        return a;
    }

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, Func<string> whatFn, float rtol = 1e-5f, float atol = 1e-6f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsFinite(a) != float.IsFinite(e)) Assert.Fail($"{whatFn()}: element {i} is {a}, reference {e}");
            if (!float.IsFinite(e)) continue;
            if (!(MathF.Abs(e - a) <= atol + rtol * MathF.Abs(e)))
                Assert.Fail($"{whatFn()}: element {i} of {expected.Length}: kernel {a:G9}, reference {e:G9}");
        }
    }

    /// <summary>The lengths to test with the width and mode to use; the parallel length only at the best width.</summary>
    public static IEnumerable<(int Length, KernelWidth Width, bool Accumulate)> Cases()
    {
        foreach (var width in Widths)
            foreach (bool acc in new[] { false, true })
                for (int n = 0; n <= MaxLength; n++)
                    yield return (n, width, acc);
        yield return (ParallelLength, KernelConfig.Best, false);
        yield return (ParallelLength, KernelConfig.Best, true);
    }

    public static void CheckUnary<TOp>(TOp op, float lo, float hi, string name) where TOp : struct, IUnaryOperator
    {
        var g = new Generator(11);
        foreach (var (n, width, acc) in Cases())
        {
            var x = Sample(g, n, lo, hi);
            var start = Sample(g, n, -1f, 1f);
            var expected = (float[])start.Clone();
            var actual = (float[])start.Clone();
            UnaryDriver.Reference(x, expected, acc, op);
            UnaryDriver.Apply(x, actual, acc, op, width);
            AssertClose(expected, actual, () => $"{name} n={n} {width} accumulate={acc}");
        }
    }

    public static void CheckBinary<TOp>(TOp op, (float Lo, float Hi) a, (float Lo, float Hi) b, string name) where TOp : struct, IBinaryOperator
    {
        var g = new Generator(12);
        foreach (var (n, width, acc) in Cases())
        {
            var x = Sample(g, n, a.Lo, a.Hi);
            var y = Sample(g, n, b.Lo, b.Hi);
            var start = Sample(g, n, -1f, 1f);
            var expected = (float[])start.Clone();
            var actual = (float[])start.Clone();
            BinaryDriver.Reference(x, y, expected, acc, op);
            BinaryDriver.Apply(x, y, actual, acc, op, width);
            AssertClose(expected, actual, () => $"{name} n={n} {width} accumulate={acc}");
        }
    }

    public static void CheckTernary<TOp>(TOp op, (float Lo, float Hi) a, (float Lo, float Hi) b, (float Lo, float Hi) c, string name)
        where TOp : struct, ITernaryOperator
    {
        var g = new Generator(13);
        foreach (var (n, width, acc) in Cases())
        {
            var x = Sample(g, n, a.Lo, a.Hi);
            var y = Sample(g, n, b.Lo, b.Hi);
            var z = Sample(g, n, c.Lo, c.Hi);
            var start = Sample(g, n, -1f, 1f);
            var expected = (float[])start.Clone();
            var actual = (float[])start.Clone();
            TernaryDriver.Reference(x, y, z, expected, acc, op);
            TernaryDriver.Apply(x, y, z, actual, acc, op, width);
            AssertClose(expected, actual, () => $"{name} n={n} {width} accumulate={acc}");
        }
    }

    public static void CheckQuaternary<TOp>(TOp op, (float Lo, float Hi) a, (float Lo, float Hi) b, (float Lo, float Hi) c, (float Lo, float Hi) e, string name)
        where TOp : struct, IQuaternaryOperator
    {
        var g = new Generator(14);
        foreach (var (n, width, acc) in Cases())
        {
            var x = Sample(g, n, a.Lo, a.Hi);
            var y = Sample(g, n, b.Lo, b.Hi);
            var z = Sample(g, n, c.Lo, c.Hi);
            var w = Sample(g, n, e.Lo, e.Hi);
            var start = Sample(g, n, -1f, 1f);
            var expected = (float[])start.Clone();
            var actual = (float[])start.Clone();
            QuaternaryDriver.Reference(x, y, z, w, expected, acc, op);
            QuaternaryDriver.Apply(x, y, z, w, actual, acc, op, width);
            AssertClose(expected, actual, () => $"{name} n={n} {width} accumulate={acc}");
        }
    }

    /// <summary>The lengths and widths for in-place update operators (no accumulate mode).</summary>
    public static IEnumerable<(int Length, KernelWidth Width)> UpdateCases()
    {
        foreach (var width in Widths)
            for (int n = 0; n <= MaxLength; n++)
                yield return (n, width);
        yield return (ParallelLength, KernelConfig.Best);
    }

    /// <summary>Every width must give the scalar reference's bits: the update operators' vector forms perform exactly
    /// the scalar form's float operations.</summary>
    public static void CheckUpdate2<TOp>(TOp op, Func<Generator, int, float[]> s, Func<Generator, int, float[]> t, Func<Generator, int, float[]> g, string name)
        where TOp : struct, IUpdate2Operator
    {
        var gen = new Generator(15);
        foreach (var (n, width) in UpdateCases())
        {
            float[] s0 = s(gen, n), t0 = t(gen, n), g0 = g(gen, n);
            float[] es = (float[])s0.Clone(), et = (float[])t0.Clone(), acs = (float[])s0.Clone(), act = (float[])t0.Clone();
            UpdateDriver.Reference(es, et, g0, op);
            UpdateDriver.Apply(acs, act, g0, op, width);
            AssertSameBits(es, acs, () => $"{name} n={n} {width}: first vector");
            AssertSameBits(et, act, () => $"{name} n={n} {width}: second vector");
        }
    }

    /// <inheritdoc cref="CheckUpdate2"/>
    public static void CheckUpdate3<TOp>(TOp op, Func<Generator, int, float[]> s, Func<Generator, int, float[]> t, Func<Generator, int, float[]> u,
        Func<Generator, int, float[]> g, string name)
        where TOp : struct, IUpdate3Operator
    {
        var gen = new Generator(16);
        foreach (var (n, width) in UpdateCases())
        {
            float[] s0 = s(gen, n), t0 = t(gen, n), u0 = u(gen, n), g0 = g(gen, n);
            float[] es = (float[])s0.Clone(), et = (float[])t0.Clone(), eu = (float[])u0.Clone();
            float[] acs = (float[])s0.Clone(), act = (float[])t0.Clone(), acu = (float[])u0.Clone();
            UpdateDriver.Reference(es, et, eu, g0, op);
            UpdateDriver.Apply(acs, act, acu, g0, op, width);
            AssertSameBits(es, acs, () => $"{name} n={n} {width}: first vector");
            AssertSameBits(et, act, () => $"{name} n={n} {width}: second vector");
            AssertSameBits(eu, acu, () => $"{name} n={n} {width}: third vector");
        }
    }

    public static void AssertSameBits(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, Func<string> whatFn)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"{whatFn()}: element {i} of {expected.Length}: kernel {actual[i]:G9}, reference {expected[i]:G9}");
    }
}
