using Elbo.Engine.Kernels.Common;

namespace Elbo.Engine.Onnx;

/// <summary>ONNX forms of the engine's functions that no module wraps (the counterparts of <see cref="Nn.Functional"/>),
/// written with the same formulas so the graph agrees with the engine to float rounding.</summary>
public static class OnnxFunctional
{
    /// <summary>The mean of the continuous Bernoulli with logits ℓ, elementwise (<see cref="Nn.Functional.ContinuousBernoulliMean"/>):
    /// for |ℓ| &lt; <see cref="ContinuousBernoulliMath.SeriesBound"/> the series ½ + ½·y·Pn(s)/(1 + s·Pr(s)) with y = ℓ/2,
    /// s = y², whose terms are all positive (nothing cancels near ℓ = 0, where the closed form is 0/0); from there on
    /// 1/(1 − u) − 1/|ℓ| for ℓ &gt; 0 and 1/|ℓ| − u/(1 − u) for ℓ &lt; 0, u = e^(−|ℓ|). Where picks the branch, so the
    /// branch that is not taken may be ∞ or NaN without harm, as in the engine's vector kernel.</summary>
    public static OnnxValue ContinuousBernoulliMean(OnnxGraph graph, OnnxValue logits, string stem)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(logits);
        var half = graph.Scalar(0.5f);
        var one = graph.Scalar(1f);
        var a = graph.Unary("Abs", logits, stem + "/abs");
        var y = graph.Binary("Mul", logits, half, stem + "/y");
        var s = graph.Binary("Mul", y, y, stem + "/s");
        var pn = Horner(graph, s, ContinuousBernoulliMath.PnCoefficients, stem + "/pn");
        var pr = Horner(graph, s, ContinuousBernoulliMath.PrCoefficients, stem + "/pr");
        var h = graph.Binary("Add", one, graph.Binary("Mul", s, pr, stem + "/h"), stem + "/one_plus_h");
        var ratio = graph.Binary("Div", graph.Binary("Mul", y, pn, stem + "/y_pn"), h, stem + "/ratio");
        var series = graph.Binary("Add", half, graph.Binary("Mul", half, ratio, stem + "/half_ratio"), stem + "/series");

        var u = graph.Unary("Exp", graph.Unary("Neg", a, stem + "/minus_abs"), stem + "/u");
        var q = graph.Unary("Reciprocal", graph.Binary("Sub", one, u, stem + "/one_minus_u"), stem + "/q");
        var r = graph.Unary("Reciprocal", a, stem + "/r");
        var positive = graph.Binary("Sub", q, r, stem + "/positive");
        var negative = graph.Binary("Sub", r, graph.Binary("Mul", u, q, stem + "/u_q"), stem + "/negative");
        var closed = graph.Where(graph.Binary("Greater", logits, graph.Scalar(0f), stem + "/is_positive"), positive, negative, stem + "/closed");
        var inSeries = graph.Binary("Less", a, graph.Scalar(ContinuousBernoulliMath.SeriesBound), stem + "/in_series");
        return graph.Where(inSeries, series, closed, stem);
    }

    // c₀ + s(c₁ + s(c₂ + …)), evaluated from the highest coefficient down as the engine does: p = c_n; p = p·s + c_k.
    private static OnnxValue Horner(OnnxGraph graph, OnnxValue s, ReadOnlySpan<float> coefficients, string stem)
    {
        var p = graph.Binary("Mul", s, graph.Scalar(coefficients[^1]), stem);
        for (int k = coefficients.Length - 2; k >= 0; k--)
        {
            p = graph.Binary("Add", p, graph.Scalar(coefficients[k]), stem);
            if (k > 0) p = graph.Binary("Mul", p, s, stem);
        }
        return p;
    }
}
