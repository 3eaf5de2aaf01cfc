using System.CommandLine;
using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Serialization;
using Elbo.Training;
using Spectre.Console;

namespace Elbo.Cli;

/// <summary>`elbo train`: trains a VAE and writes the run folder.</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter stdout)
    {
        var data = new Option<string?>("--data") { Description = "fashion-mnist (Debian's dataset-fashion-mnist; the default), mnist (downloaded to a cache), ring, a folder of IDX files, or a folder of pictures (PNG, JPEG, BMP, GIF; class subfolders give labels, train/ and test/ the split); with --resume: the run's own" };
        var model = SpecOption("--model", ModelRegistry.Specs);
        var likelihood = new Option<string>("--likelihood") { Description = LikelihoodRegistry.Specs.Describe() + "; default: gaussian for a folder of pictures, bernoulli otherwise" };
        var objective = SpecOption("--objective", ObjectiveRegistry.Specs);
        var k = new Option<int>("--k") { Description = "importance samples per example of the iwae objective", DefaultValueFactory = _ => ObjectiveOptions.IwaeDefaultK };
        var latent = new Option<int>("--latent") { Description = "latent dimensions", DefaultValueFactory = _ => 20 };
        var hidden = new Option<string>("--hidden") { Description = "hidden layer sizes of the MLP networks, comma-separated", DefaultValueFactory = _ => "400" };
        var channels = new Option<string>("--channels") { Description = "channels of the conv encoder's stride-2 blocks, comma-separated", DefaultValueFactory = _ => "32,64" };
        var epochs = new Option<int>("--epochs") { Description = "epochs (with --resume: the total to reach)", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch-size") { Description = "examples per step", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Adam's learning rate", DefaultValueFactory = _ => 1e-3 };
        var beta = new Option<double>("--beta") { Description = "KL weight β", DefaultValueFactory = _ => 1.0 };
        var warmup = new Option<int>("--warmup") { Description = "epochs over which the KL weight ramps from 0 to β", DefaultValueFactory = _ => 0 };
        var freeBits = new Option<double>("--free-bits") { Description = "KL floor per latent dimension, nats (0: off)", DefaultValueFactory = _ => 0.0 };
        var kl = new Option<string>("--kl") { Description = "closed | mc (Monte Carlo)", DefaultValueFactory = _ => "closed" };
        var sigma = new Option<double>("--sigma") { Description = "standard deviation of the gaussian likelihood", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<ulong>("--seed") { Description = "random seed", DefaultValueFactory = _ => 1UL };
        var threads = new Option<int>("--threads") { Description = "threads (0: all cores)", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "run folder to write", Required = true };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its last checkpoint" };
        var force = new Option<bool>("--force") { Description = "overwrite a run in --out" };
        var noReport = new Option<bool>("--no-report") { Description = "skip the pictures, quick evaluation and report.html written at the end" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "where --data mnist is downloaded (default ~/.cache/elbo/mnist), or where a folder of pictures is cached decoded (default ~/.cache/elbo/images)" };
        var imageSize = new Option<int?>("--image-size") { Description = "pictures: side of the square examples, pixels (default 64)" };
        var crop = new Option<int?>("--crop") { Description = "pictures: side of the centred square cut before resizing (default the shorter side)" };
        var color = new Option<string?>("--color") { Description = "pictures: rgb | grey (default rgb)" };
        var background = new Option<string?>("--background") { Description = "pictures: black | white, what transparency is composited over (default black)" };
        var testFraction = new Option<double?>("--test-fraction") { Description = "share held out for testing when the data have no split of their own (pictures: 0.1)" };
        var categorical = new Option<string?>("--categorical") { Description = "tables: columns to treat as categorical, comma-separated" };
        var numeric = new Option<string?>("--numeric") { Description = "tables: columns to treat as numeric, comma-separated" };
        var drop = new Option<string?>("--drop") { Description = "tables: columns to leave out, comma-separated" };
        var label = new Option<string?>("--label") { Description = "tables: the label column (kept out of the model; colours plots, conditions a cvae, scores anomalies)" };
        var coerce = new Option<bool>("--coerce") { Description = "tables: a numeric column's cells that are not numbers become missing (else an error naming the row)" };
        var test = new Option<string?>("--test") { Description = "tables: a separate test file with the same columns (instead of --test-fraction)" };
        var limit = new Option<int?>("--limit") { Description = "take a seeded N of the pictures, for quick tries" };
        var distributed = DistributedSetup.ModeOption();
        var distributedTimeout = DistributedSetup.TimeoutOption();

        var command = new Command("train", "Train a VAE: writes metrics.jsonl, samples_E.png, reconstructions_E.png and a checkpoint after every epoch; at the end the plots, a quick eval.json and report.html.");
        foreach (var o in new Option[] { data, model, likelihood, objective, k, latent, hidden, channels, epochs, batch, lr, beta, warmup, freeBits, kl, sigma, seed, threads, output, resume, force, noReport, cacheDir, imageSize, crop, color, background, testFraction, limit, categorical, numeric, drop, label, coerce, test, distributed, distributedTimeout })
            command.Options.Add(o);
        var resumeSettings = new ResumeSettings()
            .Fixed(data, c => c.Dataset).Fixed(model, c => c.Model.Name).Fixed(likelihood, c => c.Likelihood.Name)
            .Fixed(objective, c => c.Objective.Name).Fixed(k, c => ResumeSettings.Number(c.K)).Fixed(latent, c => ResumeSettings.Number<int>(c.Latent))
            .Fixed(hidden, c => ResumeSettings.List(c.Hidden)).Fixed(channels, c => ResumeSettings.List(c.Channels))
            .Fixed(batch, c => ResumeSettings.Number<int>(c.BatchSize)).Fixed(beta, c => ResumeSettings.Number<double>(c.Beta))
            .Fixed(warmup, c => ResumeSettings.Number<int>(c.Warmup)).Fixed(freeBits, c => ResumeSettings.Number<double>(c.FreeBits))
            .Fixed(kl, c => ResumeSettings.Kl(c.Kl)).Fixed(sigma, c => ResumeSettings.Number<double>(c.Sigma))
            .Fixed(seed, c => ResumeSettings.Number<ulong>(c.Seed))
            .Fixed(imageSize, c => ResumeSettings.Number(c.Images?.ImageSize)).Fixed(crop, c => ResumeSettings.Number(c.Images?.Crop))
            .Fixed(color, c => c.Images?.Color?.ToString().ToLowerInvariant()).Fixed(background, c => c.Images?.Background?.ToString().ToLowerInvariant())
            .Fixed(testFraction, c => ResumeSettings.Number(c.TestFraction ?? c.TableOptions?.TestFraction)).Fixed(limit, c => ResumeSettings.Number(c.Limit))
            .Fixed(categorical, c => ResumeSettings.List(c.TableOptions?.Categorical)).Fixed(numeric, c => ResumeSettings.List(c.TableOptions?.Numeric))
            .Fixed(drop, c => ResumeSettings.List(c.TableOptions?.Drop)).Fixed(label, c => c.TableOptions?.Label)
            .Fixed(coerce, c => c.TableOptions?.Coerce == true ? "on" : "off").Fixed(test, c => c.TableOptions?.Test);
        command.SetAction(parse =>
        {
            // Data-parallel: MPI starts first. The ranks' first exchange checks that they were given the same options (a
            // mismatch would pair up the wrong exchanges) and carries any usage error, so rank 0 prints one line for
            // all; then rank 0 alone looks at the run folder.
            using var mpi = DistributedSetup.Start(parse.GetValue(distributed)!, parse.GetValue(distributedTimeout), Console.Error);
            Training.Distributed.IProcessGroup group = mpi is null ? Training.Distributed.SingleProcess.Instance : mpi;
            bool root = group.Rank == 0;
            (bool, RunConfig, string?, Data.DataOptions, string?, string, RunMode)? settings = null;
            string? usage = null;
            try
            {
                settings = Settings();
            }
            catch (Exception e) when (group.Size > 1 && ElboCommand.Describe(e) is { Code: ElboCommand.Usage } d)
            {
                usage = d.Message;
            }
            DistributedSetup.AgreeOnStart(group, DistributedSetup.OptionLines(parse, command), usage);
            // AgreeOnStart has thrown the usage error on every rank when there was one, so the settings are there
            var (doResume, config, dataValue, dataOptions, likelihoodName, outDir, mode) = settings ?? throw new System.Diagnostics.UnreachableException(usage);
            if (doResume)
            {
                if (root && new RunFolder(outDir).HasCheckpoint)
                {
                    var given = config with
                    {
                        Dataset = dataValue is null ? "" : Data.DataSource.Canonical(dataValue), Images = dataOptions.Images,
                        TestFraction = dataOptions.TestFraction, Limit = dataOptions.Limit, TableOptions = dataOptions.Table,
                    };
                    resumeSettings.Check(parse, given, Checkpoint.ReadConfig(outDir), outDir);
                }
                // 0: the run's own (the trainer takes the stored value)
                config = config with
                {
                    Epochs = parse.GetResult(epochs) is { Implicit: false } ? config.Epochs : 0,
                    Lr = parse.GetResult(lr) is { Implicit: false } ? config.Lr : 0,
                };
            }
            Trainer.ValidateThreads(config.Threads);                  // before any thread starts
            // each rank takes its share of this host's cores unless the threads were given
            bool threadsFixed = group.Size > 1 && config.Threads == 0 && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ELBO_NUM_THREADS"));
            if (config.Threads > 0) Engine.Gemm.Blas.SetThreads(config.Threads);
            else if (threadsFixed) Engine.Gemm.Blas.SetThreads(DistributedSetup.ThreadsPerRank());
            if (root && File.Exists(outDir)) throw new ArgumentException($"--out {outDir} is a file, not a run folder");
            bool existed = !root || Directory.Exists(outDir);
            // one process at a time trains into a folder (the lock goes when the process ends, however it ends); in a
            // data-parallel run rank 0 holds it and the other ranks never touch the folder
            using var runLock = root ? RunFolderLock.Acquire(outDir) : null;
            try
            {
                var trainer = Trainer.Create(config, dataValue, outDir, mode, parse.GetValue(cacheDir), stdout, dataOptions, likelihoodGiven: likelihoodName is not null, group: group);
                var gemm = GemmSetup.Apply(trainer, threadsFixed);
                var c = trainer.Config;
                string ranks = group.Size > 1 ? $"{group.Size} ranks × " : "";
                stdout.WriteLine($"elbo train: {c.Model.Title}, {c.Likelihood} likelihood, {c.Objective.Describe(c.ObjectiveOptions())}, latent {c.Latent}, data {c.Dataset} ({c.Input}), " +
                    $"{trainer.Model.ParameterCount:N0} parameters, epochs {trainer.StartEpoch}{(trainer.StartBatch > 0 ? $" (from step {trainer.StartBatch + 1})" : "")}..{c.Epochs}, batch {c.BatchSize}, lr {c.Lr}, " +
                    $"threads {ranks}{Engine.Threading.ParallelRunner.Threads}, {GemmSetup.Describe(gemm)}");
                string unit = c.Input.IsImage ? "img/s" : c.Input.Kind == Data.DataKind.Table ? "rows/s" : "examples/s";
                if (group.Size > 1) unit += $" on {group.Size} ranks";
                List<EpochMetrics> metrics;
                using (var interrupt = new TrainingInterrupt())
                {
                    try
                    {
                        metrics = Interactive(stdout) ? RunWithProgressBar(trainer, unit, interrupt.Token)
                            : trainer.Run(new LineProgress(stdout, unit, everyTenth: group.Size > 1), interrupt.Token);
                    }
                    catch (OperationCanceledException e) when (interrupt.Signal is not null || (group.Size > 1 && e is TrainingStoppedException))
                    {
                        // in a data-parallel run the stop may have been another rank's signal (the ranks agree on the step)
                        string signal = interrupt.Signal ?? "a signal to another rank";
                        string where = e is TrainingStoppedException { Saved: true } stop
                            ? $"stopped in epoch {stop.Epoch} after step {stop.Batch} of {stop.Batches}, checkpointed there"
                            : $"{outDir} keeps the checkpoint of its last finished epoch";
                        throw new TrainingInterruptedException(
                            $"interrupted by {signal}: {where}; `elbo train --out {outDir} --resume` continues from it", interrupt.Signal is null ? 143 : interrupt.ExitCode);
                    }
                }
                mpi?.Finish();                   // every rank is done with the others; rank 0 writes the report alone
                if (!root) return ElboCommand.Ok;
                if (metrics.Count > 0)
                {
                    var last = metrics[^1];
                    stdout.WriteLine($"done: test −ELBO {last.TestLoss:F2} nats (reconstruction {last.TestRecon:F2}, KL {last.TestKl:F2})");
                    if (c.Input.IsImage)
                        stdout.WriteLine($"pictures: {Path.Combine(outDir, RunFolder.SamplesName(last.Epoch))} and {Path.Combine(outDir, RunFolder.ReconstructionsName(last.Epoch))}");
                }
                else stdout.WriteLine($"nothing to do: the run in {outDir} already has {c.Epochs} epochs");
                if (!parse.GetValue(noReport))
                {
                    var test = trainer.TestData;
                    trainer = null;              // the training split, the model and Adam's state can go now
                    GC.Collect();
                    WriteReport(outDir, refresh: metrics.Count > 0, test, stdout);
                }
                return ElboCommand.Ok;
            }
            catch when (!existed)
            {
                // a run that never started leaves no folder behind
                runLock?.Dispose();
                RemoveIfEmpty(outDir);
                throw;
            }

            // The run's settings from the options (usage errors throw).
            (bool, RunConfig, string?, Data.DataOptions, string?, string, RunMode) Settings()
            {
                bool doResume = parse.GetValue(resume), doForce = parse.GetValue(force);
                if (doResume && doForce) throw new ArgumentException("--resume and --force exclude each other");
                var objectiveSpec = ObjectiveRegistry.Specs.Get(parse.GetValue(objective));
                bool kGiven = parse.GetResult(k) is { Implicit: false };
                if (kGiven && !objectiveSpec.Uses("k")) throw new ArgumentException($"--k is not a setting of --objective {objectiveSpec.Name}");
                string? likelihoodName = parse.GetValue(likelihood);
                string? dataValue = parse.GetValue(data);
                if (!doResume && string.IsNullOrWhiteSpace(dataValue) && parse.GetResult(data) is null) dataValue = Data.DataSource.FashionMnist;
                var dataOptions = new Data.DataOptions
                {
                    Images = new Data.ImageFolderOptions
                    {
                        ImageSize = parse.GetValue(imageSize), Crop = parse.GetValue(crop),
                        Color = ParseEnum<Data.ImageColor>(parse.GetValue(color), "--color", "rgb | grey"),
                        Background = ParseEnum<Data.ImageBackground>(parse.GetValue(background), "--background", "black | white"),
                    },
                    TestFraction = parse.GetValue(testFraction), Limit = parse.GetValue(limit),
                    Table = new Data.Tables.TableOptions
                    {
                        Categorical = Names(parse.GetValue(categorical)), Numeric = Names(parse.GetValue(numeric)), Drop = Names(parse.GetValue(drop)),
                        Label = parse.GetValue(label), Coerce = parse.GetValue(coerce), Test = parse.GetValue(test) is { } t ? Path.GetFullPath(t) : null,
                    },
                };
                var config = new RunConfig
                {
                    Model = ModelRegistry.Specs.Get(parse.GetValue(model)),
                    Likelihood = likelihoodName is null ? LikelihoodRegistry.Specs.All[0] : LikelihoodRegistry.Specs.Get(likelihoodName),
                    Objective = objectiveSpec, K = objectiveSpec.Uses("k") ? parse.GetValue(k) : null, Latent = parse.GetValue(latent),
                    Hidden = ElboCommand.ParseList(parse.GetValue(hidden)!, "--hidden"), Channels = ElboCommand.ParseList(parse.GetValue(channels)!, "--channels"),
                    Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch), Lr = parse.GetValue(lr), Beta = parse.GetValue(beta),
                    Warmup = parse.GetValue(warmup), FreeBits = parse.GetValue(freeBits), Kl = KlEstimators.Parse(parse.GetValue(kl)),
                    Sigma = parse.GetValue(sigma), Seed = parse.GetValue(seed), Threads = parse.GetValue(threads), Dataset = dataValue ?? "",
                };
                string outDir = parse.GetValue(output)!;
                var mode = doResume ? RunMode.Resume : doForce ? RunMode.Force : RunMode.New;
                return (doResume, config, dataValue, dataOptions, likelihoodName, outDir, mode);
            }
        });
        return command;
    }

    private static void RemoveIfEmpty(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // Column names given comma-separated (none when the option is absent).
    private static string[] Names(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    // An enum option's value (null when not given), e.g. "grey" → ImageColor.Grey; anything else is a usage error.
    private static T? ParseEnum<T>(string? value, string option, string choices) where T : struct, Enum
    {
        if (value is null) return null;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var result) && Enum.IsDefined(result) && !int.TryParse(value, out _)) return result;
        throw new ArgumentException($"{option} takes {choices}, got '{value}'");
    }

    // An option naming a registry entry: its help lists every entry with its line of help, its default is the first.
    private static Option<string> SpecOption<TSpec>(string name, Registry<TSpec> registry) where TSpec : class, ISpec =>
        new(name) { Description = registry.Describe(), DefaultValueFactory = _ => registry.All[0].Name };

    // The pictures, a quick evaluation and report.html, remade after training (the old ones show an older model). The
    // run is trained whatever happens here: a failure costs only the report, and says how to retry.
    private static void WriteReport(string outDir, bool refresh, Data.Dataset test, TextWriter stdout)
    {
        try
        {
            stdout.WriteLine("report: drawing the latent space and evaluating (k = 100 on 1,000 test examples; elbo eval for more)");
            foreach (string line in Reporting.ReportInputs.Make(outDir, new Reporting.ReportInputOptions(), refresh, test))
                stdout.WriteLine($"wrote {line}");
            stdout.WriteLine($"report: {Reporting.RunReport.Write(outDir)}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stdout.WriteLine($"report: not written ({e.Message.Split('\n')[0]}); run elbo report {outDir} to retry");
        }
    }

    private static bool Interactive(TextWriter stdout) => ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    private static List<EpochMetrics> RunWithProgressBar(Trainer trainer, string unit, CancellationToken cancel)
    {
        List<EpochMetrics> result = [];
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx => result = trainer.Run(new BarProgress(ctx, unit), cancel));
        return result;
    }

    // A Spectre.Console bar per epoch, with the live loss and images/s in its description (rewritten at most ten
    // times a second, so the training loop does not format a string every step).
    private sealed class BarProgress(ProgressContext ctx, string unit) : IProgress<TrainingProgress>
    {
        private ProgressTask? _task;
        private int _epoch;
        private long _lastUpdate;

        public void Report(TrainingProgress p)
        {
            if (_task == null || p.Epoch != _epoch)
            {
                _task?.StopTask();
                _epoch = p.Epoch;
                _task = ctx.AddTask($"epoch {p.Epoch}/{p.Epochs}", maxValue: p.Steps);
            }
            _task.Value = p.Step;
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (p.Phase == "train" && System.Diagnostics.Stopwatch.GetElapsedTime(_lastUpdate, now).TotalMilliseconds < 100) return;
            _lastUpdate = now;
            string phase = p.Phase == "eval" ? " evaluating" : "";
            _task.Description = $"epoch {p.Epoch}/{p.Epochs}  −ELBO {p.Loss,7:F2}  {p.ExamplesPerSecond,8:N0} {unit}{phase}";
            if (p.Phase == "done") _task.StopTask();
        }
    }

    // Plain lines when the output is not a terminal: one per epoch and, when asked (a data-parallel run, whose output
    // passes through the launcher and is never a terminal), one at every tenth of an epoch's steps.
    private sealed class LineProgress(TextWriter stdout, string unit, bool everyTenth = false) : IProgress<TrainingProgress>
    {
        private int _lastTenth;

        public void Report(TrainingProgress p)
        {
            if (p.Phase == "done")
            {
                stdout.WriteLine($"epoch {p.Epoch}/{p.Epochs}: train −ELBO {p.Loss:F2} nats, {p.ExamplesPerSecond:N0} {unit}");
                _lastTenth = 0;
            }
            else if (everyTenth && p.Phase == "train" && p.Steps >= 10 && p.Step * 10 / p.Steps is int tenth && tenth > _lastTenth && tenth < 10)
            {
                _lastTenth = tenth;
                stdout.WriteLine($"epoch {p.Epoch}/{p.Epochs}: step {p.Step}/{p.Steps}, train −ELBO {p.Loss:F2} nats, {p.ExamplesPerSecond:N0} {unit}");
            }
        }
    }
}
