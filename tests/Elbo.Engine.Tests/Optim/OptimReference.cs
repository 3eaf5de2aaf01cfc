namespace Elbo.Engine.Tests.Optim;

/// <summary>The optimizers' update rules written from their formulas in double precision (test oracles).</summary>
internal static class OptimReference
{
    /// <summary>Adam/AdamW: returns p after applying every gradient in turn (step t = 1, 2, …).</summary>
    public static double[] Adam(double[] p0, double[][] grads, double lr, double b1, double b2, double eps, double wd, bool decoupled)
    {
        var p = (double[])p0.Clone();
        var m = new double[p.Length];
        var v = new double[p.Length];
        for (int t = 1; t <= grads.Length; t++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = grads[t - 1][i];
                if (decoupled) p[i] *= 1 - lr * wd;
                else g += wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(b1, t));
                double vHat = v[i] / (1 - Math.Pow(b2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        return p;
    }

    /// <summary>SGD with momentum, dampening, nesterov and L2 weight decay, PyTorch's first-step buffer = gradient.</summary>
    public static double[] Sgd(double[] p0, double[][] grads, double lr, double momentum, double dampening, double wd, bool nesterov)
    {
        var p = (double[])p0.Clone();
        var b = new double[p.Length];
        for (int t = 1; t <= grads.Length; t++)
        {
            for (int i = 0; i < p.Length; i++)
            {
                double g = grads[t - 1][i] + wd * p[i];
                if (momentum != 0)
                {
                    b[i] = t == 1 ? g : momentum * b[i] + (1 - dampening) * g;
                    g = nesterov ? g + momentum * b[i] : b[i];
                }
                p[i] -= lr * g;
            }
        }
        return p;
    }

    public static double[][] RandomGrads(int steps, int n, ulong seed)
    {
        var g = new Generator(seed);
        var result = new double[steps][];
        for (int s = 0; s < steps; s++)
        {
            result[s] = new double[n];
            for (int i = 0; i < n; i++) result[s][i] = g.NextNormal();
        }
        return result;
    }

    /// <summary>Runs <paramref name="optimizer"/> over the gradients (rounded to float) of a single parameter.</summary>
    public static float[] Run(Tensor p, Elbo.Engine.Optim.Optimizer optimizer, double[][] grads)
    {
        foreach (var grad in grads)
        {
            p.Grad = Tensor.FromArray(Array.ConvertAll(grad, x => (float)x), p.ShapeArray());
            optimizer.Step();
        }
        return p.ToArray();
    }

    public static void AssertClose(double[] expected, float[] actual, double rtol = 1e-5, double atol = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i]),
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    public static double[] ToDouble(Tensor t) => Array.ConvertAll(t.ToArray(), x => (double)x);
}
