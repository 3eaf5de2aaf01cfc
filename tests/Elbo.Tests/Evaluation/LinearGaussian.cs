using Elbo.Data;
using Elbo.Engine.Nn;
using Elbo.Likelihoods;
using Elbo.Models;

namespace Elbo.Tests.Evaluation;

/// <summary>
/// A VAE whose log p(x) is known in closed form: z ~ N(0, I₂), x | z ~ N(W z + b, σ² I₃) (a Linear decoder and the
/// fixed-σ Gaussian likelihood, whose −log p(x|z) includes its normalizing constant), so x ~ N(b, W Wᵀ + σ² I).
/// W's columns are orthogonal, which makes the true posterior N(S Wᵀ(x − b)/σ², S) with S = (I + WᵀW/σ²)⁻¹ diagonal:
/// a diagonal-Gaussian encoder can represent it exactly (<see cref="SetExactPosterior"/>).
/// </summary>
internal sealed class LinearGaussian
{
    public const int D = 3, L = 2;
    public static readonly double[,] W = { { 1.0, 0.5 }, { 1.0, -0.5 }, { 0.0, 1.0 } };   // columns orthogonal
    public static readonly double[] B = { 0.3, -0.2, 0.1 };
    public readonly double Sigma;
    public readonly Vae Model;

    public LinearGaussian(double sigma = 0.5, ulong seed = 1)
    {
        Sigma = sigma;
        var g = new Generator(seed);
        var encoder = new Linear(D, D, g);          // identity, so fc_mu and fc_var see x itself
        encoder.Weight.Data.Clear();
        for (int i = 0; i < D; i++) encoder.Weight.Data[i * D + i] = 1f;
        encoder.Bias!.Data.Clear();
        var decoder = new Linear(L, D, g);
        for (int i = 0; i < D; i++)
        {
            for (int u = 0; u < L; u++) decoder.Weight.Data[i * L + u] = (float)W[i, u];
            decoder.Bias!.Data[i] = (float)B[i];
        }
        Model = new Vae("linear", DataShape.Table(D), encoder, D, L, decoder, new GaussianLikelihood((float)sigma), g);
        Model.Eval();
    }

    /// <summary>Sets fc_mu and fc_var to the exact posterior.</summary>
    public void SetExactPosterior()
    {
        double s2 = Sigma * Sigma;
        for (int u = 0; u < L; u++)
        {
            double norm = 0;
            for (int i = 0; i < D; i++) norm += W[i, u] * W[i, u];
            double s = 1 / (1 + norm / s2);                 // posterior variance of z_u
            double bias = 0;
            for (int i = 0; i < D; i++)
            {
                Model.FcMu.Weight.Data[u * D + i] = (float)(s * W[i, u] / s2);
                bias -= s * W[i, u] * B[i] / s2;
                Model.FcVar!.Weight.Data[u * D + i] = 0f;
            }
            Model.FcMu.Bias!.Data[u] = (float)bias;
            Model.FcVar!.Bias!.Data[u] = (float)Math.Log(s);
        }
    }

    /// <summary>A q that is off but covers the posterior: the exact posterior's mean shifted by
    /// <paramref name="shift"/> and its variance multiplied by <paramref name="widen"/>.</summary>
    public void SetShiftedPosterior(double shift = 0.5, double widen = 3)
    {
        SetExactPosterior();
        for (int u = 0; u < L; u++)
        {
            Model.FcMu.Bias!.Data[u] += (float)shift;
            Model.FcVar!.Bias!.Data[u] += (float)Math.Log(widen);
        }
    }

    /// <summary>n examples drawn from the model.</summary>
    public Dataset Sample(int n, ulong seed)
    {
        var g = new Generator(seed);
        var pixels = new float[n * D];
        for (int j = 0; j < n; j++)
        {
            double z0 = g.NextNormal(), z1 = g.NextNormal();
            for (int i = 0; i < D; i++) pixels[j * D + i] = (float)(W[i, 0] * z0 + W[i, 1] * z1 + B[i] + Sigma * g.NextNormal());
        }
        return new Dataset("linear-gaussian", pixels, null, DataShape.Table(D), "none");
    }

    /// <summary>log N(x; b, W Wᵀ + σ² I), by a Cholesky factorization of the 3×3 covariance.</summary>
    public double LogPx(ReadOnlySpan<float> x)
    {
        var c = new double[D, D];
        for (int i = 0; i < D; i++)
            for (int j = 0; j < D; j++)
            {
                for (int u = 0; u < L; u++) c[i, j] += W[i, u] * W[j, u];
                if (i == j) c[i, j] += Sigma * Sigma;
            }
        var chol = new double[D, D];
        for (int i = 0; i < D; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = c[i, j];
                for (int m = 0; m < j; m++) sum -= chol[i, m] * chol[j, m];
                chol[i, j] = i == j ? Math.Sqrt(sum) : sum / chol[j, j];
            }
        // solve chol · y = x − b; then the quadratic form is |y|², log det C = 2 Σ log chol_ii
        var y = new double[D];
        double quadratic = 0, logDet = 0;
        for (int i = 0; i < D; i++)
        {
            double sum = x[i] - B[i];
            for (int m = 0; m < i; m++) sum -= chol[i, m] * y[m];
            y[i] = sum / chol[i, i];
            quadratic += y[i] * y[i];
            logDet += 2 * Math.Log(chol[i, i]);
        }
        return -0.5 * (D * Math.Log(2 * Math.PI) + logDet + quadratic);
    }

    /// <summary>Exact log p(x) of every example of <paramref name="data"/>.</summary>
    public double[] LogPx(Dataset data)
    {
        var result = new double[data.Count];
        var x = new float[D];
        for (int i = 0; i < data.Count; i++)
        {
            data.CopyImage(i, x);
            result[i] = LogPx(x);
        }
        return result;
    }
}
