namespace Elbo.Evaluation;

/// <summary>The standard normal distribution's density, distribution function Φ and quantile function Φ⁻¹, in double
/// precision to about 1e-15 relative error.</summary>
public static class NormalDistribution
{
    private const double InverseSqrtTwoPi = 0.398942280401432677939946059934;

    /// <summary>The density φ(x) = exp(−x²/2) / √(2π).</summary>
    public static double Density(double x) => InverseSqrtTwoPi * Math.Exp(-0.5 * x * x);

    /// <summary>Φ(x) = P(Z ≤ x). For |x| &lt; 3 Marsaglia's series Φ(x) = ½ + φ(x)(x + x³/3 + x⁵/(3·5) + …)
    /// (Journal of Statistical Software 11(4), 2004); further out the upper tail φ(x)/(x + 1/(x + 2/(x + 3/(x + …))))
    /// (Laplace's continued fraction, evaluated by Lentz's method), which keeps full relative accuracy in the tails.</summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < -3) return UpperTail(-x);
        if (x > 3) return 1 - UpperTail(x);
        double term = x, sum = x, x2 = x * x;
        for (int k = 3; k < 200 && Math.Abs(term) > 1e-17 * Math.Abs(sum); k += 2)
        {
            term *= x2 / k;
            sum += term;
        }
        return 0.5 + Density(x) * sum;
    }

    // Q(x) = 1 − Φ(x) for x ≥ 3 from the continued fraction φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))).
    private static double UpperTail(double x)
    {
        if (x > 40) return 0;
        const double tiny = 1e-300;
        double f = x, c = x, d = 0;
        for (int k = 1; k < 500; k++)
        {
            d = x + k * d;
            if (d == 0) d = tiny;
            c = x + k / c;
            if (c == 0) c = tiny;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return Density(x) / f;
    }

    /// <summary>Φ⁻¹(p), the z with Φ(z) = p, by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37(3), 1988):
    /// rational approximations in three regions, accurate to about 1 part in 10¹⁶. Φ⁻¹(0) = −∞, Φ⁻¹(1) = +∞.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1] or NaN.</exception>
    public static double Quantile(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability must lie in [0, 1]");
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        double q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            double r = 0.180625 - q * q;
            return q * (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                        + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r
                        + 133.14166789178437745) * r + 3.387132872796366608)
                / (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                        + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r
                        + 42.313330701600911252) * r + 1.0);
        }
        double tail = q < 0 ? p : 1 - p;
        double s = Math.Sqrt(-Math.Log(tail));
        double z;
        if (s <= 5)
        {
            s -= 1.6;
            z = (((((((7.7454501427834140764e-4 * s + 0.0227238449892691845833) * s + 0.24178072517745061177) * s
                        + 1.27045825245236838258) * s + 3.64784832476320460504) * s + 5.7694972214606914055) * s
                        + 4.6303378461565452959) * s + 1.42343711074968357734)
                / (((((((1.05075007164441684324e-9 * s + 5.475938084995344946e-4) * s + 0.0151986665636164571966) * s
                        + 0.14810397642748007459) * s + 0.68976733498510000455) * s + 1.6763848301838038494) * s
                        + 2.05319162663775882187) * s + 1.0);
        }
        else
        {
            s -= 5;
            z = (((((((2.01033439929228813265e-7 * s + 2.71155556874348757815e-5) * s + 0.0012426609473880784386) * s
                        + 0.026532189526576123093) * s + 0.29656057182850489123) * s + 1.7848265399172913358) * s
                        + 5.4637849111641143699) * s + 6.6579046435011037772)
                / (((((((2.04426310338993978564e-15 * s + 1.4215117583164458887e-7) * s + 1.8463183175100546818e-5) * s
                        + 7.868691311456132591e-4) * s + 0.0148753612908506148525) * s + 0.13692988092273580531) * s
                        + 0.59983220655588793769) * s + 1.0);
        }
        return q < 0 ? -z : z;
    }
}
