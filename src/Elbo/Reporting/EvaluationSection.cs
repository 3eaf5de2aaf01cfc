using System.Globalization;

namespace Elbo.Reporting;

/// <summary>The report's evaluation section: each figure of <c>eval.json</c> with one plain sentence on what it means,
/// then the KL and the variance of μ per latent dimension.</summary>
internal static class EvaluationSection
{
    public static void Write(HtmlDocument d, EvaluationSummary e, int latent)
    {
        var intro = new List<string>();
        if (e.Examples is { } n) intro.Add($"on {n.ToString("N0", CultureInfo.InvariantCulture)} test examples");
        if (e.K is { } k) intro.Add($"with {k} importance samples per example");
        if (e.Seconds is { } s) intro.Add($"in {s.ToString("F1", CultureInfo.InvariantCulture)} s");
        d.Paragraph(Html.Text("Measured by ") + Html.Code("elbo eval") + (intro.Count > 0 ? " " + string.Join(", ", intro) : "") + ". All figures in nats per example.");

        string kText = e.K is { } kk ? kk.ToString(CultureInfo.InvariantCulture) : "K";
        var rows = new List<IReadOnlyList<HtmlFragment>>();
        void Row(string quantity, string value, string meaning) => rows.Add([Html.Text(quantity), Html.Text(value), Html.Text(meaning)]);

        if (e.NegElbo is { } ne)
            Row("−ELBO", Nats(ne), $"The −ELBO, {Nats(ne)}, is the loss the model minimizes, averaged over the test images: an upper bound on −log p(x).");
        if (e.Reconstruction is { } rec)
            Row("Reconstruction", Nats(rec), $"The reconstruction term, {Nats(rec)}, is −log p(x|z) with z drawn from q(z|x): what the decoder still needs to describe an image once it has its code.");
        if (e.Kl is { } kl)
            Row("KL", Nats(kl), $"The KL term, {Nats(kl)}, is KL(q(z|x) ‖ p(z)): how much information the codes carry about the images.");
        if (e.ImportanceSampled is { } iw)
        {
            if (iw.NegLogPx is { } nll)
                Row("−log p(x), importance sampled", WithError(nll, iw.StandardError),
                    $"The test negative log-likelihood, {WithError(nll, iw.StandardError)}, is the model's actual fit, estimated with {kText} samples from q(z|x) per image (the IWAE bound); it is tighter than the −ELBO.");
            if (iw.ElboGap is { } gap)
                Row("ELBO gap", Nats(gap), $"The ELBO gap, {Nats(gap)}, is how far q(z|x) is from the true posterior: the KL between them, averaged over the test set.");
        }
        if (e.PriorProposal is { } pp)
        {
            if (pp.NegLogPx is { } nll)
                Row("−log p(x), prior as proposal", WithError(nll, pp.StandardError),
                    $"The same likelihood estimated with {kText} samples from the prior instead of q(z|x), {WithError(nll, pp.StandardError)}: a check on the estimate above, far noisier because few prior samples land where the posterior is.");
            if (pp.MeanEss is { } ess)
            {
                string frac = pp.EssFraction is { } f ? $" ({(100 * f).ToString("G3", CultureInfo.InvariantCulture)} %)" : "";
                string value = $"{ess.ToString("G4", CultureInfo.InvariantCulture)} of {kText}{frac}";
                Row("Effective sample size (prior)", value,
                    $"Of the {kText} prior samples, {ess.ToString("G4", CultureInfo.InvariantCulture)} count on average{frac}: a small fraction means the prior-proposal estimate rests on a few samples and is unreliable.");
            }
        }
        if (e.ActiveUnits is { } au)
        {
            string t = (e.ActiveThreshold ?? 0.01).ToString("G3", CultureInfo.InvariantCulture);
            Row("Active units", $"{au} of {latent}",
                $"{au} of the {latent} latent dimensions are active: their mean μ varies across the test images (variance above {t}); the others carry no information and the decoder ignores them (posterior collapse).");
        }
        if (e.Amortization is { } am && am.Gap is { } agap)
        {
            string steps = am.Steps is { } st ? $"{st.ToString("G6", CultureInfo.InvariantCulture)} steps of " : "";
            string refined = am.RefinedNegElbo is { } r ? $" (refined −ELBO {Nats(r)})" : "";
            Row("Amortization gap", Nats(agap),
                $"The amortization gap, {Nats(agap)}, is how much the −ELBO drops{refined} when {steps}optimization fit q(z|x) to each image instead of taking the encoder's guess: the price of amortized inference.");
        }
        if (rows.Count > 0) d.Table(["Quantity", "Value", "What it means"], rows, null, [false, true, false]);
        else d.Paragraph("eval.json holds none of the figures this report knows.");

        var klPerDim = e.KlPerDimension;
        var varMu = e.VarianceOfMu;
        int dims = Math.Max(klPerDim?.Length ?? 0, varMu?.Length ?? 0);
        if (dims == 0) return;
        double threshold = e.ActiveThreshold ?? 0.01;
        var dimRows = new List<IReadOnlyList<string>>(dims);
        for (int i = 0; i < dims; i++)
        {
            string klv = klPerDim != null && i < klPerDim.Length && double.IsFinite(klPerDim[i]) ? klPerDim[i].ToString("F3", CultureInfo.InvariantCulture) : "";
            bool hasVar = varMu != null && i < varMu.Length && double.IsFinite(varMu[i]);
            string vv = hasVar ? varMu![i].ToString("G3", CultureInfo.InvariantCulture) : "";
            string active = hasVar ? (varMu![i] > threshold ? "yes" : "no") : "";
            dimRows.Add([i.ToString(CultureInfo.InvariantCulture), klv, vv, active]);
        }
        d.Table(["Dimension", "KL (nats)", "Variance of μ", "Active"], dimRows,
            "Per latent dimension: the KL it contributes (the information it carries) and how much its mean μ varies across the test images.");
    }

    private static string Nats(double v) => v.ToString("F2", CultureInfo.InvariantCulture) + " nats";

    private static string WithError(double v, double? se) =>
        se is { } s ? $"{v.ToString("F2", CultureInfo.InvariantCulture)} ± {s.ToString("F2", CultureInfo.InvariantCulture)} nats" : Nats(v);
}
