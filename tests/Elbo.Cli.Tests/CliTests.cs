using Elbo.Cli;
using Elbo.Tests.Data;

namespace Elbo.Cli.Tests;

/// <summary>End-to-end runs of train, sample and reconstruct.</summary>
public class CliTests : CliTestBase
{
    [Theory]
    [InlineData("sample")]
    [InlineData("reconstruct")]
    public void PointDataHaveNoPictures(string command)
    {
        string run = TrainedRun("ring", "--data", "ring", "--likelihood", "gaussian", "--latent", "2", "--epochs", "1", "--batch-size", "500");
        var (code, _, err) = Run(command, run, "--out", Path.Combine(_dir, "x.png"));
        Assert.Equal(2, code);
        Assert.Contains("not images", err);
        Assert.False(File.Exists(Path.Combine(_dir, "x.png")));
    }

    [Fact]
    public void HelpNamesTheToolElboAndUnknownCommandsAreNamed()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("elbo [command] [options]", output);
        var (bad, _, err) = Run("bogus");
        Assert.Equal(2, bad);
        Assert.Equal("elbo: Unrecognized command or argument 'bogus'. (see elbo --help)", err.Trim());
    }

    [Fact]
    public void TrainSampleAndReconstructWriteTheirFiles()
    {
        string run = Path.Combine(_dir, "run");
        var (code, output, err) = Run(Train(run));
        Assert.True(code == 0, err);
        Assert.Contains("epoch 2/2", output);
        Assert.Contains("samples_2.png", output);
        // the GEMM backend chosen by timing the model's own step (or forced by ELBO_GEMM), on the first line and in config.json;
        // where products of 1-3 rows time faster on the other backend (seen on Intel AVX-512 machines) the line says so too
        Assert.Matches(@"(?m)^elbo train: .*, GEMM (managed|openblas) (\d+ GFLOPS on this model's step \(.*, (measured|cached)\)(, (managed|openblas) for products of 1-3 rows)?|\(ELBO_GEMM\))\r?\n", output);
        using (var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
            Assert.Contains(config.RootElement.GetProperty("gemm").GetProperty("backend").GetString(), new[] { "managed", "openblas" });
        Assert.True(File.Exists(Path.Combine(run, "reconstructions_2.png")));

        string samples = Path.Combine(_dir, "s.png"), recon = Path.Combine(_dir, "r.png");
        Assert.Equal(0, Run("sample", run, "--n", "10", "--out", samples).Code);
        Assert.Equal(0, Run("reconstruct", run, "--n", "4", "--out", recon).Code);
        Assert.Equal(0x89, File.ReadAllBytes(samples)[0]);
        Assert.Equal(0x89, File.ReadAllBytes(recon)[0]);
    }

    [Fact]
    public void AFolderAnotherProcessTrainsIntoIsRefusedAndLeftAlone()
    {
        string run = TrainedRun();
        var before = Directory.GetFiles(run).ToDictionary(f => f, File.ReadAllBytes);
        using (RunFolderLock.Acquire(run))               // as a training process holds it
        {
            foreach (string[] extra in new[] { new[] { "--force" }, ["--resume", "--epochs", "3"] })
            {
                var (code, _, err) = Run(Train(run, extra));
                Assert.Equal(2, code);
                Assert.Contains("is in use: elbo train (pid", err);
            }
        }
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(0, Run(Train(run, "--resume", "--epochs", "3")).Code);      // free again
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.FileName)));
    }

    [Fact]
    public void CommandsThatWriteIntoAFolderAnotherProcessHoldsAreRefusedAndReadersAreNot()
    {
        string run = TrainedRun();
        var before = Directory.GetFiles(run).ToDictionary(f => f, File.ReadAllBytes);
        string outside = Path.Combine(_dir, "outside.png");
        using (RunFolderLock.Acquire(run, "elbo eval"))          // as another command writing into it holds it
        {
            string[][] writers =
            [
                ["eval", run, "--k", "2", "--n", "10"], ["plot", run, "--n", "50"], ["report", run], ["report", run, "--no-compute"],
                ["interpolate", run, "--from", "0", "--to", "1"], ["traverse", run], ["export", run],
                ["sample", run, "--n", "4", "--out", Path.Combine(run, "mine.png")], ["train", "--out", run, "--force", "--epochs", "1"],
            ];
            foreach (string[] args in writers)
            {
                var (code, _, err) = Run(args);
                Assert.True(code == 2, $"{string.Join(' ', args)}: exit {code}, {err}");
                Assert.Contains($"{run} is in use: elbo eval (pid {Environment.ProcessId}) is writing into it", err);
                Assert.Single(err.Trim().Split('\n'));
            }
            Assert.Equal(0, Run("sample", run, "--n", "4", "--out", outside).Code);   // reading beside a writer is fine
        }
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(run).Order());
        foreach (var (file, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(0, Run("eval", run, "--k", "2", "--n", "10").Code);              // free again
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.FileName)));
        Assert.False(File.Exists(Path.Combine(run, RunFolderLock.OwnerFileName)));
    }

    [Fact]
    public void AFileAsTheRunFolderIsAUsageErrorAndAFailedStartLeavesNoFolder()
    {
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "x");
        var (code, _, err) = Run(Train(file));
        Assert.Equal(2, code);
        Assert.Contains("is a file, not a run folder", err);
        Assert.Equal("x", File.ReadAllText(file));
        string fresh = Path.Combine(_dir, "never");
        (code, _, _) = Run(Train(fresh, "--latent", "0"));
        Assert.Equal(2, code);
        Assert.False(Directory.Exists(fresh));
    }

    [Fact]
    public void ResumeContinuesToTheRequestedEpochs()
    {
        string run = Path.Combine(_dir, "run");
        Assert.Equal(0, Run(Train(run)).Code);
        // a temporary file a killed process left (its pid is not running) goes when the run resumes
        int dead = System.Diagnostics.Process.GetProcesses().Max(p => p.Id) + 1000;
        string stale = Path.Combine(run, $".model.safetensors.{dead}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "half a checkpoint");
        var (code, output, err) = Run("train", "--out", run, "--resume", "--epochs", "3", "--data", Data());
        Assert.True(code == 0, err);
        Assert.Contains("epochs 3..3", output);
        Assert.Contains("left by a write that did not finish", output);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(Path.Combine(run, "samples_3.png")));
    }

    [Fact]
    public void ResumeRefusesSettingsThatDifferFromTheRunsAndListsThem()
    {
        string run = TrainedRun();
        byte[] before = File.ReadAllBytes(Path.Combine(run, "model.safetensors"));
        var (code, _, err) = Run(Train(run, "--resume", "--epochs", "3", "--latent", "5", "--beta", "2", "--model", "ae"));
        Assert.Equal(2, code);
        Assert.Contains("--model ae (the run has mlp), --latent 5 (the run has 3), --beta 2 (the run has 1)", err);
        Assert.Contains("only --epochs, --lr and --threads may change", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run, "model.safetensors")));

        // the first command again with --resume: the same settings are no difference; a new --lr is allowed and recorded
        (code, var output, err) = Run(Train(run, "--resume", "--epochs", "3", "--lr", "0.005"));
        Assert.True(code == 0, err);
        Assert.Contains("epochs 3..3", output);
        Assert.Contains("lr 0.005", output);
        Assert.Contains("\"lr\": 0.005", File.ReadAllText(Path.Combine(run, "config.json")));
    }

    [Theory]
    [InlineData("--latent", "0", "--latent must be positive")]
    [InlineData("--lr", "0", "--lr must be a positive number")]
    [InlineData("--model", "gan", "--model 'gan' is unknown")]
    [InlineData("--likelihood", "poisson", "--likelihood 'poisson' is unknown")]
    [InlineData("--hidden", "4,x", "--hidden takes positive integers")]
    [InlineData("--epochs", "many", "many")]
    [InlineData("--batch-size", "0", "--batch-size must be positive")]
    [InlineData("--free-bits", "-1", "--free-bits must be a non-negative number")]
    [InlineData("--kl", "exact", "--kl must be closed or mc")]
    [InlineData("--objective", "vi", "--objective 'vi' is unknown (choose elbo, iwae)")]
    [InlineData("--k", "3", "--k is not a setting of --objective elbo")]
    [InlineData("--hidden", "16,,16", "--hidden takes positive integers separated by commas, and entry 2 of '16,,16' is empty")]
    [InlineData("--hidden", "", "--hidden needs a value, and an empty one was given")]
    [InlineData("--threads", "100000", "--threads 100000 is more than")]
    [InlineData("--out", "", "--out needs a value, and an empty one was given")]
    [InlineData("--likelihood", "continuous-bernoulli --data ring", "models values in [0, 1], and the data ring/train has values outside it")]
    public void BadOptionsAreUsageErrorsWithOneLine(string option, string value, string expected)
    {
        // a value may carry a second "--option value" pair (the ring for the likelihood check)
        string[] more = value.Contains(" --", StringComparison.Ordinal) ? value.Split(' ') : [value];
        var (code, _, err) = Run(Train(Path.Combine(_dir, "run"), [option, .. more]));
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(_dir, "run", "model.safetensors")));
    }

    [Fact]
    public void TheIwaeObjectiveNeedsAPosteriorWithADensity()
    {
        var (code, _, err) = Run(Train(Path.Combine(_dir, "run"), "--model", "ae", "--objective", "iwae"));
        Assert.Equal(2, code);
        Assert.Contains("--objective iwae needs a posterior with a density, and the ae model's is a point mass", err);
        Assert.False(File.Exists(Path.Combine(_dir, "run", "model.safetensors")));
    }

    [Fact]
    public void TrainHelpListsEveryRegisteredModelLikelihoodAndObjective()
    {
        var (code, output, _) = Run("train", "--help");
        Assert.Equal(0, code);
        foreach (var name in Models.ModelRegistry.Names.Concat(Likelihoods.LikelihoodRegistry.Names).Concat(Objectives.ObjectiveRegistry.Specs.Names))
            Assert.Contains(name + ":", output);
    }

    [Fact]
    public void AnOutputFolderWithARunIsRefusedUnlessForced()
    {
        string run = Path.Combine(_dir, "run");
        Assert.Equal(0, Run(Train(run)).Code);
        var (code, _, err) = Run(Train(run));
        Assert.Equal(2, code);
        Assert.Contains("--resume", err);
        File.WriteAllText(Path.Combine(run, "compare.svg"), "<svg/>");   // made by elbo compare from the old model
        File.WriteAllText(Path.Combine(run, "notes.txt"), "mine");
        Assert.Equal(0, Run(Train(run, "--force", "--no-report")).Code);
        foreach (string stale in new[] { "compare.svg", "eval.json", "report.html", "latent.svg", "traversal.png" })
            Assert.False(File.Exists(Path.Combine(run, stale)), stale);
        Assert.True(File.Exists(Path.Combine(run, "samples_2.png")));       // written again by the new run
        Assert.Equal("mine", File.ReadAllText(Path.Combine(run, "notes.txt")));   // not Elbo's: kept
    }

    [Fact]
    public void MissingOrCorruptDataGiveOneLineErrors()
    {
        var (code, _, err) = Run("train", "--data", Path.Combine(_dir, "nowhere"), "--out", Path.Combine(_dir, "run"));
        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));

        string bad = Path.Combine(_dir, "bad");
        IdxFixtures.WriteDataset(bad, train: 10, test: 4, rows: 8, cols: 8, gzip: false);
        string images = Directory.GetFiles(bad, "train-images*")[0];
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..(bytes.Length / 2)]);
        (code, _, err) = Run("train", "--data", bad, "--out", Path.Combine(_dir, "run"));
        Assert.Equal(1, code);
        Assert.Contains(Path.GetFileName(images), err);
        Assert.Contains("truncated", err);
    }

    [Fact]
    public void SamplingARunWithoutACheckpointIsAUsageError()
    {
        var (code, _, err) = Run("sample", _dir, "--out", Path.Combine(_dir, "s.png"));
        Assert.Equal(2, code);
        Assert.Contains("no checkpoint", err);
        Assert.False(File.Exists(Path.Combine(_dir, "s.png")));
    }
}
