namespace Elbo.Engine.Tests.Support;

/// <summary>
/// Central-difference gradient check (after tinygrad's extra/gradcheck.py): the analytic gradient of
/// L = Σ_i w_i·f(inputs)_i, with fixed random weights w so every output element matters, against
/// (L(x+eps) − L(x−eps)) / 2eps for every element of every input that requires grad. L is summed in double.
/// </summary>
public static class GradCheck
{
    /// <summary>Checks <paramref name="f"/> at <paramref name="inputs"/>; inputs with RequiresGrad are checked.</summary>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, float eps = 1e-3f, float atol = 2e-3f, float rtol = 2e-2f, ulong seed = 7)
    {
        var y = f(inputs);
        var w = Tensor.Randn(new Generator(seed), y.ShapeArray());
        foreach (var x in inputs) x.ZeroGrad();
        y.Mul(w).Sum().Backward();

        foreach (var (x, xi) in inputs.Select((x, i) => (x, i)))
        {
            if (!x.RequiresGrad) continue;
            Assert.True(x.Grad != null, $"input {xi}: no gradient was computed");
            var analytic = x.Grad!.ToArray();
            var data = x.Data;
            for (int i = 0; i < x.Numel; i++)
            {
                float saved = data[i];
                data[i] = saved + eps;
                double lp = Loss(f(inputs), w);
                data[i] = saved - eps;
                double lm = Loss(f(inputs), w);
                data[i] = saved;
                double numeric = (lp - lm) / (2 * eps);
                double diff = Math.Abs(analytic[i] - numeric);
                Assert.True(diff <= atol + rtol * Math.Abs(numeric),
                    $"input {xi} {x.ShapeString} element {i}: analytic {analytic[i]:G6} vs numeric {numeric:G6} (diff {diff:G3})");
            }
        }
    }

    private static double Loss(Tensor y, Tensor w)
    {
        double s = 0;
        var yd = y.Data;
        var wd = w.Data;
        for (int i = 0; i < yd.Length; i++) s += (double)yd[i] * wd[i];
        return s;
    }

    /// <summary>A tensor of normal samples that requires grad.</summary>
    public static Tensor Param(Generator g, params int[] shape)
    {
        var t = Tensor.Randn(g, shape);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>A tensor of uniform samples from [low, high) that requires grad.</summary>
    public static Tensor Param(Generator g, float low, float high, params int[] shape)
    {
        var t = Tensor.Uniform(g, low, high, shape);
        t.RequiresGrad = true;
        return t;
    }
}
