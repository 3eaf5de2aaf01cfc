using System.Diagnostics;
using System.Reflection;
using Elbo.Data;
using Elbo.Engine.Autograd;
using Elbo.Engine.Optim;
using Elbo.Imaging;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Serialization;
using Elbo.Training.Distributed;

namespace Elbo.Training;

/// <summary>How a run treats an output folder that already holds a run.</summary>
public enum RunMode
{
    /// <summary>Refuse a folder that holds a run.</summary>
    New,
    /// <summary>Start over in it.</summary>
    Force,
    /// <summary>Continue its last checkpoint.</summary>
    Resume,
}

/// <summary>
/// Trains a VAE with Adam and writes, after every epoch: a line of <c>metrics.jsonl</c>, <c>samples_E.png</c> (8×8 means
/// of p(x|z) for z ~ N(0, I)), <c>reconstructions_E.png</c> (8 test inputs above their reconstructions), and the
/// checkpoint (<c>model.safetensors</c>: the weights, Adam's state, the training state, the configuration and the
/// epoch's metrics line, one atomic unit — see <see cref="Checkpoint"/>), then its copy <c>config.json</c> and the
/// metrics line, so the log never runs ahead of the checkpoint. A cancellation (a signal) stops between two steps and
/// saves a checkpoint at that step. Every random choice derives from the seed (initialization, batch order per epoch,
/// the training noise, keyed per example by the checkpointed generator state, the step and the example's place in the
/// batch (<see cref="ExampleNoise"/>), the evaluation noise per epoch), so a resumed run — from an epoch's end or from
/// inside one — continues exactly as an uninterrupted one would (for the same thread count).
/// <para>Data-parallel training (an <see cref="IProcessGroup"/> of N processes): every process builds the same global
/// batches and computes the loss on its shard of each (<see cref="BatchShard"/>); the gradients are summed with one
/// Allreduce (<see cref="GradientAllreduce"/>) into the gradient of the global batch's mean, and every process takes
/// the same Adam step. ε is keyed by the example's place in the global batch, so N processes draw what one draws, and
/// the result equals one process's up to the order of float additions (except for what is per process: batch-norm
/// statistics in training mode and the free-bits floor, each computed on the shard). Batch-norm running statistics
/// are averaged over the processes before evaluation and checkpoints, the evaluation is sharded and its sums reduced,
/// and rank 0 alone writes the run folder. The checkpoint does not depend on N: a resume may use another number of
/// processes.</para>
/// </summary>
public sealed class Trainer
{
    private const int SampleCount = 64, ReconstructionCount = 8;

    private RunConfig _config;
    private readonly DatasetSplits _data;
    private readonly string _out;
    private readonly int _startEpoch;
    private readonly long _startStep;
    private readonly EpochProgress? _startProgress;
    private string? _lastMetricsLine;

    /// <summary>The model being trained.</summary>
    public LatentVariableModel Model { get; }

    /// <summary>What the model is trained on.</summary>
    public Objective Objective { get; }

    /// <summary>The configuration of the run (for a resumed run, the stored one with the new epoch count).</summary>
    public RunConfig Config => _config;

    private readonly Adam _adam;
    private readonly Generator _noise;
    private readonly IProcessGroup _group;

    /// <summary>Statistics reduced with each step's gradients: Σ n·recon, Σ n·KL, Σ n·bound, bound flag, Σ n·objective, stop votes.</summary>
    private const int StepStatistics = 6;

    private Trainer(RunConfig config, DatasetSplits data, string outDir, LatentVariableModel model, Objective objective, Adam adam,
        Generator noise, int startEpoch, long startStep, EpochProgress? startProgress, string? lastMetricsLine, IProcessGroup group)
    {
        _group = group;
        Objective = objective;
        _config = config;
        _data = data;
        _out = outDir;
        Model = model;
        _adam = adam;
        _noise = noise;
        _startEpoch = startEpoch;
        _startStep = startStep;
        _startProgress = startProgress;
        _lastMetricsLine = lastMetricsLine;
    }

    /// <summary>Records in the run's configuration (config.json, written with every checkpoint) which GEMM it uses.</summary>
    public void RecordGemm(GemmRecord gemm) => _config = _config with { Gemm = gemm };

    /// <summary>The GEMM calls of one training step on a full batch (forward and backward; shapes with their counts),
    /// recorded with the model in eval mode so nothing it keeps (batch-norm statistics) changes; the gradients it leaves
    /// are cleared by the first step's zeroing.</summary>
    public IReadOnlyList<(Engine.Gemm.GemmShape Shape, int Calls)> StepGemmCalls()
    {
        var train = _data.Train;
        int b = Math.Min(_config.BatchSize, train.Count), d = train.Features;
        var x = Tensor.Zeros(b, d);
        for (int i = 0; i < b; i++) train.CopyImage(i, x.Data.Slice(i * d, d));
        var labels = train.Labels[..b].ToArray();
        Model.Eval();
        using var trace = Engine.Gemm.GemmTrace.Start();
        Model.Loss(x, Objective, 1f, new Generator(0), labels).Objective.Backward();
        return trace.Calls;
    }

    /// <summary>The processes training together (<see cref="SingleProcess"/> alone); rank 0 writes the run folder.</summary>
    public IProcessGroup Group => _group;

    /// <summary>The test split the run is evaluated on.</summary>
    public Dataset TestData => _data.Test;

    /// <summary>The first epoch this run will train (after a resume, the one after the checkpoint's).</summary>
    public int StartEpoch => _startEpoch;

    /// <summary>The training batches of <see cref="StartEpoch"/> already done (a resume of a run a signal stopped
    /// inside that epoch), else 0.</summary>
    public int StartBatch => _startProgress?.Batches ?? 0;

    /// <summary>Prepares a run: checks the options (ArgumentException with a one-line reason), the output folder
    /// (<see cref="RunExistsException"/>), loads the data (<see cref="DataNotFoundException"/>,
    /// <see cref="DataFormatException"/>) and builds or restores the model.</summary>
    /// <param name="config">The settings (on resume: only the epoch count and the learning rate are taken, each when
    /// positive; the rest is the checkpoint's).</param>
    /// <param name="data">The <c>--data</c> value; null on resume: the run's own data.</param>
    /// <param name="outDir">The run folder.</param>
    /// <param name="mode">New, force or resume.</param>
    /// <param name="cacheDir">The MNIST download folder or the image cache folder (defaults: see <see cref="DataSource"/>).</param>
    /// <param name="log">Receives what the data are and progress lines while they load, or null.</param>
    /// <param name="dataOptions">The data settings (image preprocessing, test fraction, limit; their seed and
    /// threads are the config's); on resume the checkpoint's are used.</param>
    /// <param name="likelihoodGiven">Whether the user chose <see cref="RunConfig.Likelihood"/>; if not, the data's
    /// default replaces it (<see cref="TrainingDefaults.Likelihood"/>).</param>
    /// <param name="group">The processes of a data-parallel run (every one calls Create with the same arguments; rank 0
    /// alone reads and writes <paramref name="outDir"/> and sends the others the checkpoint's configuration and state),
    /// or null for one process.</param>
    public static Trainer Create(RunConfig config, string? data, string outDir, RunMode mode, string? cacheDir = null, TextWriter? log = null,
        DataOptions? dataOptions = null, bool likelihoodGiven = true, IProcessGroup? group = null)
    {
        group ??= SingleProcess.Instance;
        bool root = group.Rank == 0;
        var folder = new RunFolder(outDir);
        bool hasRun = root && folder.HoldsRun;
        if (mode == RunMode.Resume)
        {
            if (root && !folder.HasCheckpoint) throw new RunExistsException($"{outDir}: no checkpoint to resume (model.safetensors is missing)");
            var stored = ShareConfig(group, root ? Checkpoint.ReadConfig(outDir) : null, outDir);
            // a resume keeps the run's settings but the epoch count and the learning rate (each 0: the run's own)
            config = stored with { Epochs = config.Epochs > 0 ? config.Epochs : stored.Epochs, Lr = config.Lr > 0 ? config.Lr : stored.Lr };
            data ??= stored.Dataset;
            dataOptions = stored.DataOptions();
            likelihoodGiven = true;
        }
        else if (hasRun && mode == RunMode.New)
        {
            throw new RunExistsException($"{outDir} holds a previous run: pass --resume to continue it or --force to start over");
        }
        ArgumentNullException.ThrowIfNull(data);
        if (mode == RunMode.Resume) cacheDir ??= config.CacheDir;
        Validate(config);
        dataOptions = (dataOptions ?? new DataOptions()) with { Seed = config.Seed, Threads = config.Threads };
        dataOptions.Validate();

        // A folder of pictures has its shape before it is decoded: a model that cannot take it fails now, not after
        // the first (possibly long) decode. Building the model is the one check of every architecture's sizing rules.
        if (mode != RunMode.Resume && DataSource.ImageFolderShape(data, dataOptions) is { } expected)
            ModelRegistry.Create(config.ModelOptions() with { Input = expected }, new Generator(config.Seed));

        var splits = DataSource.Resolve(data, cacheDir, log: log, options: dataOptions);
        var input = splits.Shape;
        if (mode == RunMode.Resume && config.Input != input)
            throw new ArgumentException($"{outDir}: the checkpoint's model takes {config.Input} examples but the data has {input}");
        if (!likelihoodGiven) config = config with { Likelihood = TrainingDefaults.Likelihood(splits) };
        TrainingDefaults.CheckLikelihood(config.Likelihood, splits);
        // a conditional model sees the data's classes (none for unlabelled data: the model's factory says it needs them)
        int? classes = config.Model.Conditional ? splits.Classes ?? 0 : null;
        if (mode == RunMode.Resume && classes > config.Classes)
            throw new ArgumentException($"{outDir}: the checkpoint's model knows {config.Classes} classes but the data has labels up to {classes - 1}");
        config = config with
        {
            Input = input,
            Classes = mode == RunMode.Resume ? config.Classes : classes,
            Dataset = DataSource.Canonical(data),
            Images = splits.Preprocessing,
            TestFraction = splits.IsImageFolder ? dataOptions.TestFraction : null,
            Limit = splits.IsImageFolder ? dataOptions.Limit : null,
            ClassNames = splits.ClassNames?.ToArray(),
            Table = splits.TableSchema,
            TableOptions = splits.TableSchema is null ? null : dataOptions.TableOptions(),
            CacheDir = cacheDir is null ? null : Path.GetFullPath(cacheDir),
            Normalization = new NormalizationConfig { Kind = splits.Train.Normalization },
            // the package version (Directory.Build.props), as `elbo --version` prints it
            ElboVersion = typeof(Trainer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
        };
        if (!likelihoodGiven) config.ModelOptions().ValidateSizes();

        var model = ModelRegistry.Create(config.ModelOptions(), new Generator(config.Seed));
        var objective = config.CreateObjective();
        objective.Check(model);
        var adam = new Adam(model.Parameters(), config.Lr);
        var noise = new Generator(unchecked(config.Seed * 0x9E3779B97F4A7C15UL + 1));
        int startEpoch = 1;
        long startStep = 0;
        EpochProgress? startProgress = null;
        string? lastMetricsLine = null;
        if (mode == RunMode.Resume && root)
        {
            var content = Checkpoint.Restore(outDir, model, adam);
            noise.SetState(content.State.RngState);
            startEpoch = content.State.Epoch + 1;
            startStep = content.State.Step;
            startProgress = content.State.InEpoch;
            lastMetricsLine = content.MetricsLine;
            // A kill between the checkpoint's rename and the files written after it leaves config.json or the
            // metrics log behind the checkpoint: bring them level with it (the checkpoint is the truth).
            RunConfigFile.Write(Checkpoint.ConfigPath(outDir), content.Config);
            MetricsLog.Settle(Path.Combine(outDir, RunFolder.Metrics), content.State.Epoch, content.MetricsLine);
        }
        else if (mode == RunMode.Force && root)
        {
            folder.RemoveDerived();
        }
        if (root)
        {
            Directory.CreateDirectory(outDir);
            foreach (string stale in AtomicFile.RemoveStale(outDir)) log?.WriteLine($"removed {stale}, left by a write that did not finish");
            WriteSkipped(folder, splits.Skipped);
        }
        if (group.Size > 1)
        {
            // every process on the same settings and data, then rank 0's state (a new model, or its checkpoint's) in all
            Replicas.Agree(group, "settings and data", ReplicaLines(config, splits));
            var state = Replicas.Share(group, model, adam, new TrainingState(startEpoch - 1, startStep, noise.GetState(), startProgress));
            noise.SetState(state.RngState);
            (startEpoch, startStep, startProgress) = (state.Epoch + 1, state.Step, state.InEpoch);
        }
        return new Trainer(config, splits, outDir, model, objective, adam, noise, startEpoch, startStep, startProgress, lastMetricsLine, group);
    }

    // Rank 0's reading of the checkpoint's configuration, on every process (rank 0 alone may see the run folder).
    private static RunConfig ShareConfig(IProcessGroup group, RunConfig? stored, string outDir)
    {
        if (group.Size == 1) return stored!;
        byte[] json = group.Broadcast(stored is null ? [] : System.Text.Encoding.UTF8.GetBytes(RunConfigFile.ToJson(stored)), 0);
        return RunConfigFile.FromJson(System.Text.Encoding.UTF8.GetString(json), Checkpoint.WeightsPath(outDir));
    }

    // What every process of a data-parallel run must have alike: the resolved configuration (less what may differ by
    // host: threads, the cache folder, the GEMM) and digests of both splits.
    private static List<string> ReplicaLines(RunConfig config, DatasetSplits splits)
    {
        var lines = RunConfigFile.ToJson(config with { Threads = 0, CacheDir = null, Gemm = null }).Split('\n').Select(l => l.Trim()).ToList();
        lines.Add("train data: " + Replicas.Digest(splits.Train));
        lines.Add("test data: " + Replicas.Digest(splits.Test));
        return lines;
    }

    // The pictures left out, one "path<TAB>reason" line each, so the user can find and fix them; none: no file.
    private static void WriteSkipped(RunFolder folder, IReadOnlyList<SkippedImage> skipped)
    {
        string path = folder.File(RunFolder.SkippedImages);
        if (skipped.Count == 0)
        {
            File.Delete(path);
            return;
        }
        var text = new System.Text.StringBuilder();
        foreach (var s in skipped) text.Append(s.RelativePath).Append('\t').Append(s.Reason.ReplaceLineEndings(" ")).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>The most threads a run may ask for: 4 per core (beyond the cores, threads only take turns).</summary>
    public static int MaxThreads => 4 * Environment.ProcessorCount;

    /// <summary>Throws a <see cref="SettingException"/> (threads) unless 0 ≤ <paramref name="threads"/> ≤ <see cref="MaxThreads"/>.</summary>
    public static void ValidateThreads(int threads)
    {
        if (threads < 0) throw new SettingException("threads", $"must not be negative, got {threads}");
        if (threads > MaxThreads)
            throw new SettingException("threads", $"{threads} is more than {MaxThreads} (4 per core on this machine's {Environment.ProcessorCount}); 0 takes every core");
    }

    /// <summary>Checks the training settings; throws a <see cref="SettingException"/> naming the setting. The model's
    /// sizes are checked by <see cref="ModelOptions.Validate"/> and the objective's by its constructor.</summary>
    public static void Validate(RunConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Epochs <= 0) throw new SettingException("epochs", $"must be positive, got {c.Epochs}");
        if (c.BatchSize <= 0) throw new SettingException("batchSize", $"must be positive, got {c.BatchSize}");
        if (!(c.Lr > 0) || double.IsInfinity(c.Lr)) throw new SettingException("lr", $"must be a positive number, got {c.Lr}");
        if (!(c.Beta >= 0) || double.IsInfinity(c.Beta)) throw new SettingException("beta", $"must be a non-negative number, got {c.Beta}");
        if (c.Warmup < 0) throw new SettingException("warmup", $"must not be negative, got {c.Warmup}");
        ValidateThreads(c.Threads);
        c.ModelOptions().ValidateSizes();
        c.CreateObjective();
    }

    /// <summary>Trains from <see cref="StartEpoch"/> (from inside it, after a resume of a stopped run) to the configured
    /// epoch count; returns each epoch's metrics. When <paramref name="cancel"/> fires, the run stops before the next
    /// step, saves a checkpoint at the step it reached (inside an epoch, resumable) and throws
    /// <see cref="TrainingStoppedException"/> saying where. In a data-parallel run a cancellation on any process is a
    /// vote carried by the next step's Allreduce: every process stops after that same step.</summary>
    public List<EpochMetrics> Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var objective = Objective;
        var group = _group;
        bool root = group.Rank == 0, distributed = group.Size > 1;
        var warmup = new KlWarmup((float)_config.Beta, _config.Warmup);
        var train = new BatchIterator(_data.Train, _config.BatchSize, _config.Seed, shuffle: true, layout: BatchLayout.Flat, rank: group.Rank, ranks: group.Size);
        var test = new BatchIterator(_data.Test, _config.BatchSize, _config.Seed, shuffle: false, layout: BatchLayout.Flat, rank: group.Rank, ranks: group.Size);
        var noise = ExampleNoise.FromState(_noise.GetState());
        var reduction = distributed ? new GradientAllreduce(_adam.Parameters, StepStatistics) : null;
        var arena = new TensorArena();
        var results = new List<EpochMetrics>();
        long step = _startStep;
        var resumeAt = _startProgress;
        bool stopAgreed = false;
        for (int epoch = _startEpoch; epoch <= _config.Epochs; epoch++)
        {
            Model.Train();
            // the epoch's sums so far: zero, or those of the part a stopped run had done
            double lossSum = resumeAt?.LossSum ?? 0, reconSum = resumeAt?.ReconSum ?? 0, klSum = resumeAt?.KlSum ?? 0;
            double? boundSum = resumeAt?.BoundSum;   // for objectives that are a bound of their own (iwae)
            int seen = resumeAt?.Seen ?? 0, b = resumeAt?.Batches ?? 0;
            double secondsBefore = resumeAt?.Seconds ?? 0, allreduceSeconds = 0;
            resumeAt = null;
            float weight = 0;
            var clock = Stopwatch.StartNew();
            foreach (var batch in train.Batches(epoch, firstBatch: b))
            {
                if (distributed ? stopAgreed : cancel.IsCancellationRequested)   // between two steps: the model and Adam are consistent
                {
                    var where = new EpochProgress(b, seen, lossSum, reconSum, klSum, boundSum, secondsBefore + clock.Elapsed.TotalSeconds);
                    bool saved = b > 0;
                    if (saved)
                    {
                        Replicas.AverageBuffers(group, Model);
                        if (root) Checkpoint.Save(_out, _config, Model, _adam, new TrainingState(epoch - 1, step, _noise.GetState(), where), _lastMetricsLine);
                    }
                    throw new TrainingStoppedException(epoch, b, train.BatchCount, saved, cancel);
                }
                weight = warmup.Weight(epoch, b, train.BatchCount);
                _adam.ZeroGrad();
                float recon = 0, kl = 0, value = 0;
                float? bound = null;
                if (batch.Size > 0)
                    using (arena.Step())
                    {
                        var loss = Model.Loss(batch.Images, objective, weight, noise.At(step, batch.First), batch.Labels);
                        value = loss.Objective.Item();
                        if (!distributed && !float.IsFinite(value)) throw Diverged(epoch, b, value);
                        loss.Objective.Backward();
                        (recon, kl, bound) = (loss.Reconstruction, loss.Kl, loss.Bound);
                    }
                int examples = batch.Size;
                if (reduction is not null)
                {
                    // this shard's sums ride with its gradients; afterwards every process holds the global batch's
                    var stats = reduction.Statistics;
                    stats[0] = recon * examples;
                    stats[1] = kl * examples;
                    stats[2] = (bound ?? 0) * examples;
                    stats[3] = bound is null ? 0 : 1;
                    stats[4] = value * examples;
                    stats[5] = cancel.IsCancellationRequested ? 1 : 0;
                    reduction.Reduce(group, (float)examples / batch.GlobalSize);
                    allreduceSeconds += reduction.LastSeconds;
                    examples = batch.GlobalSize;
                    (recon, kl, value) = (stats[0] / examples, stats[1] / examples, stats[4] / examples);
                    bound = stats[3] > 0 ? stats[2] / examples : null;
                    stopAgreed = stats[5] > 0;
                    if (!float.IsFinite(value)) throw Diverged(epoch, b, value);
                }
                reconSum += (double)recon * examples;
                klSum += (double)kl * examples;
                lossSum += (double)(recon + kl) * examples;
                if (bound is { } bd) boundSum = (boundSum ?? 0) + (double)bd * examples;
                _adam.Step();
                seen += examples;
                b++;
                step++;
                progress?.Report(new TrainingProgress("train", epoch, _config.Epochs, b, train.BatchCount, lossSum / seen, seen / (secondsBefore + clock.Elapsed.TotalSeconds)));
            }
            double trainSeconds = secondsBefore + clock.Elapsed.TotalSeconds;
            progress?.Report(new TrainingProgress("eval", epoch, _config.Epochs, b, train.BatchCount, lossSum / seen, seen / trainSeconds));

            Replicas.AverageBuffers(group, Model);          // one set of running statistics for evaluation and the checkpoint
            var (testLoss, testRecon, testKl, testBound) = Evaluate(test, objective, epoch, arena);
            var metrics = new EpochMetrics
            {
                Epoch = epoch, TrainSeconds = trainSeconds, TrainLoss = lossSum / seen, TrainRecon = reconSum / seen, TrainKl = klSum / seen,
                TestLoss = testLoss, TestRecon = testRecon, TestKl = testKl, ExamplesPerSecond = seen / trainSeconds, KlWeight = weight,
                TrainBound = boundSum / seen, TestBound = testBound, TestColumns = root ? ColumnBreakdown() : null,
                Ranks = distributed ? group.Size : null, AllreduceSeconds = distributed ? allreduceSeconds : null,
            };
            _lastMetricsLine = metrics.ToJsonLine();
            if (root)
            {
                WritePictures(epoch);
                // the checkpoint (with the metrics line inside) first: the log never names an epoch the checkpoint lacks
                Checkpoint.Save(_out, _config, Model, _adam, new TrainingState(epoch, step, _noise.GetState()), _lastMetricsLine);
                MetricsLog.Append(Path.Combine(_out, RunFolder.Metrics), metrics);
            }
            // rank 0's weights and Adam state to all: replicas stay identical even if a reduction rounded differently by rank
            if (distributed) Replicas.Share(group, Model, _adam, new TrainingState(epoch, step, _noise.GetState()));
            // The checkpoint's state-dict copies and file buffer are large-object-heap garbage that only a full
            // collection frees; collecting once per epoch keeps the footprint flat instead of growing run-long.
            GC.Collect();
            results.Add(metrics);
            progress?.Report(new TrainingProgress("done", epoch, _config.Epochs, b, train.BatchCount, metrics.TrainLoss, metrics.ExamplesPerSecond));
        }
        return results;
    }

    private static TrainingDivergedException Diverged(int epoch, int batch, float value) =>
        new(epoch, batch + 1, float.IsNaN(value) ? "NaN" : "infinite", checkpointEpoch: epoch - 1);

    // The test split's −ELBO and its halves, nats per example, with one z sample per example keyed by (seed, epoch) and
    // the example's index, in eval mode (batch norm uses its running statistics). Each process evaluates its shard of
    // every batch; the sums are reduced.
    private (double Loss, double Recon, double Kl, double? Bound) Evaluate(BatchIterator test, Objective objective, int epoch, TensorArena arena)
    {
        Model.Eval();
        var noise = new ExampleNoise(unchecked(_config.Seed * 0xBF58476D1CE4E5B9UL + (ulong)epoch));
        Span<double> sums = stackalloc double[5];       // Σ n·recon, Σ n·KL, Σ n·bound, bound flag, n
        sums.Clear();
        using (GradMode.NoGrad())
            foreach (var batch in test.Batches(1))
            {
                if (batch.Size == 0) continue;
                using (arena.Step())
                {
                    var loss = Model.Loss(batch.Images, objective, 1f, noise.At(0, (long)batch.Index * test.BatchSize + batch.First), batch.Labels);
                    sums[0] += (double)loss.Reconstruction * batch.Size;
                    sums[1] += (double)loss.Kl * batch.Size;
                    if (loss.Bound is { } b)
                    {
                        sums[2] += (double)b * batch.Size;
                        sums[3] = 1;
                    }
                    sums[4] += batch.Size;
                }
            }
        _group.Sum(sums);
        double seen = sums[4];
        return ((sums[0] + sums[1]) / seen, sums[0] / seen, sums[1] / seen, sums[3] > 0 ? sums[2] / seen : null);
    }

    // A table's test rows: −log p(x_c|z = μ) per column, averaged over the rows (in the likelihood's column order,
    // which is the schema's encoded order).
    private Dictionary<string, double>? ColumnBreakdown()
    {
        if (_config.Table is not { } schema || Model.Likelihood is not Likelihoods.TabularLikelihood) return null;
        var test = _data.Test;
        var terms = Evaluation.ColumnContributions.Compute(Model, test);
        int columns = schema.Encoded.Count;
        var result = new Dictionary<string, double>();
        for (int c = 0; c < columns; c++)
        {
            double sum = 0;
            for (int i = 0; i < test.Count; i++) sum += terms[i * columns + c];
            result[schema.Encoded[c].Name] = Math.Round(sum / test.Count, 4);
        }
        return result;
    }

    private void WritePictures(int epoch)
    {
        var input = _config.Input;
        if (!input.IsImage) return;
        var shape = input;
        Model.Eval();
        using (GradMode.NoGrad())
        {
            var sampling = new Generator(unchecked(_config.Seed * 0x94D049BB133111EBUL + (ulong)epoch));
            if (Model.IsConditional)
            {
                // one row of samples per class
                var labels = Model.LabelsByClass(ImageGrid.SampleColumns);
                ImageGrid.Compose(Model.Sample(labels.Length, sampling, labels), ImageGrid.SampleColumns, shape, scale: 2)
                    .Save(Path.Combine(_out, RunFolder.SamplesName(epoch)));
            }
            else ImageGrid.Samples(Model.Sample(SampleCount, sampling), shape, scale: 2).Save(Path.Combine(_out, RunFolder.SamplesName(epoch)));
            // the first test examples, whichever process's shard they are in
            var testData = _data.Test;
            int n = Math.Min(ReconstructionCount, testData.Count), d = testData.Features;
            var x = Tensor.Zeros(n, d);
            for (int i = 0; i < n; i++) testData.CopyImage(i, x.Data.Slice(i * d, d));
            var xhat = Model.Reconstruct(x, testData.Labels[..n]);
            ImageGrid.Reconstructions(x, xhat, shape, n, scale: 2).Save(Path.Combine(_out, RunFolder.ReconstructionsName(epoch)));
        }
    }
}
