using System.CommandLine;
using System.Globalization;
using Elbo.Evaluation;
using Elbo.Training;

namespace Elbo.Cli;

/// <summary>`elbo eval DIR`: −ELBO, importance-sampled log-likelihood (q and prior proposals), active units and,
/// optionally, the amortization gap on the test split; prints a table (or the JSON) and writes DIR/eval.json.</summary>
internal static class EvalCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var dir = new Argument<string>("DIR") { Description = "a run folder written by elbo train" };
        var k = new Option<int>("--k") { Description = "importance samples per example", DefaultValueFactory = _ => 1000 };
        var n = new Option<int?>("--n") { Description = "evaluate the first N test examples (default: all)" };
        var refine = new Option<int>("--refine-steps") { Description = "Adam steps refining q per example for the amortization gap (0: skip)", DefaultValueFactory = _ => 0 };
        var refineLr = new Option<double>("--refine-lr") { Description = "learning rate of the refinement", DefaultValueFactory = _ => 1e-2 };
        var json = new Option<bool>("--json") { Description = "print the JSON instead of the table (eval.json is written either way)" };
        var data = new Option<string?>("--data") { Description = "the data (default: the run's)" };
        var seed = new Option<ulong>("--seed") { Description = "random seed of the estimates", DefaultValueFactory = _ => 1UL };
        var command = new Command("eval", "Evaluate a run on its test data: −ELBO, log-likelihood by importance sampling, active units, amortization gap.")
        {
            dir, k, n, refine, refineLr, json, data, seed,
        };
        command.SetAction(parse =>
        {
            var options = new EvalOptions
            {
                K = parse.GetValue(k),
                Count = parse.GetValue(n),
                RefineSteps = parse.GetValue(refine),
                RefineLearningRate = parse.GetValue(refineLr),
                Seed = parse.GetValue(seed),
            };
            options.Validate();
            string run = parse.GetValue(dir)!;
            bool asJson = parse.GetValue(json);
            using var claim = RunClaim.ForWriting(run, "elbo eval", run);
            var (config, model) = TrainedRun.Load(run);
            var test = TrainedRun.LoadData(config, parse.GetValue(data)).Test;
            var progress = new LineProgress(asJson ? stderr : stdout);
            (asJson ? stderr : stdout).WriteLine($"elbo eval: {GemmSetup.Describe(GemmSetup.ApplyForInference(model), "encode and decode")}, threads {Engine.Threading.ParallelRunner.Threads}");
            var result = Evaluator.Run(model, test, options, progress);
            string path = EvalResultFile.PathIn(run);
            EvalResultFile.Write(path, result);
            if (asJson) stdout.WriteLine(EvalResultFile.ToJson(result));
            else
            {
                WriteTable(stdout, result, test.Name);
                stdout.WriteLine($"wrote {path}");
            }
            return ElboCommand.Ok;
        });
        return command;
    }

    /// <summary>The numbers with one sentence each, then the latent dimensions sorted by KL (by variance for an
    /// autoencoder).</summary>
    internal static void WriteTable(TextWriter w, EvalResult r, string dataName)
    {
        var c = CultureInfo.InvariantCulture;
        string F(double v) => v.ToString("F2", c);
        void Row(string name, string value, string meaning) => w.WriteLine($"  {name,-30} {value,15}   {meaning}");
        w.WriteLine();
        w.WriteLine($"{Models.ModelRegistry.Specs.Find(r.Model)?.Title ?? r.Model} on {r.Examples} test examples of {dataName}, k = {r.K}, {r.Seconds.ToString("F1", c)} s (nats per example)");
        if (r.Deterministic)
        {
            Row("reconstruction −log p(x|z=μ)", F(r.Reconstruction), "nats the decoder needs to describe x from its code (the training loss)");
            w.WriteLine("  (an autoencoder has no q(z|x): no ELBO, no KL, no importance estimate with q, no amortization gap)");
        }
        else
        {
            Row("−ELBO", F(r.NegElbo), "the training loss on test data: reconstruction + KL (a bound on −log p(x))");
            Row("reconstruction", F(r.Reconstruction), $"E_q[−log p(x|z)], averaged over the {r.K} samples of q per example");
            Row("KL", F(r.Kl), "KL(q(z|x) ‖ N(0,I)), closed form: nats the code carries about x");
            var q = r.ImportanceSampled!;
            Row($"−log p(x), q proposal", $"{F(q.NegLogPx)} ± {F(q.StandardError)}", $"importance-sampled (IWAE, k={r.K}): tighter than −ELBO, an upper bound in expectation");
            Row("ELBO gap", F(q.ElboGap), "−ELBO − IW estimate: how far q(z|x) is from the true posterior p(z|x)");
        }
        var p = r.PriorProposal;
        Row("−log p(x), prior proposal", $"{F(p.NegLogPx)} ± {F(p.StandardError)}", r.Deterministic
            ? $"−log of the mean of p(x|z) over {r.K} z ~ N(0,I): how little of p(x) the decoder puts on data for prior codes"
            : "the same with z ~ N(0,I): unbiased for p(x), but few z explain x, so far too high");
        Row("prior-proposal ESS", $"{F(p.MeanEss)} of {r.K}", $"effective samples (Σw)²/Σw² ({(100 * p.EssFraction).ToString("G3", c)} % of k): ≈ 1 means one z dominates");
        Row("active units", $"{r.ActiveUnits} of {r.VarianceOfMu.Length}", $"dimensions with Var over x of μ_u > {r.ActiveThreshold.ToString(c)} (Burda et al. 2015); the rest are unused");
        if (r.Amortization is { } a)
        {
            Row("refined −ELBO", F(a.RefinedNegElbo), $"−ELBO after {a.Steps} Adam steps on each example's q, decoder frozen ({a.Samples} fixed z)");
            Row("amortization gap", F(a.Gap), $"{F(a.AmortizedNegElbo)} − refined: ELBO the shared encoder loses against per-example q");
        }
        w.WriteLine();
        w.WriteLine(r.Deterministic ? "  latent dimensions by variance of the code:" : "  latent dimensions by KL (collapsed ones last):");
        w.WriteLine($"  {"dim",5} {"KL",10} {"Var(μ)",10}  active");
        var order = new int[r.VarianceOfMu.Length];
        for (int u = 0; u < order.Length; u++) order[u] = u;
        var score = r.Deterministic ? r.VarianceOfMu : r.KlPerDimension;
        Array.Sort(order, (x, y) => score[y].CompareTo(score[x]) is var s && s != 0 ? s : x.CompareTo(y));
        foreach (int u in order)
        {
            string kl = r.KlPerDimension.Length > u && !r.Deterministic ? r.KlPerDimension[u].ToString("F3", c) : "-";
            w.WriteLine($"  {u,5} {kl,10} {r.VarianceOfMu[u].ToString("F4", c),10}  {(r.VarianceOfMu[u] > r.ActiveThreshold ? "yes" : "no")}");
        }
        w.WriteLine();
    }

    // Reports progress lines as they come, on the calling thread (Progress<T> would post them to the thread pool).
    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value)
        {
            writer.WriteLine(value);
            writer.Flush();
        }
    }
}
