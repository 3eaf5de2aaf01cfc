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
}
