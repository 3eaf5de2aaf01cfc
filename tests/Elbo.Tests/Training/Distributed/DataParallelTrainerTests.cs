using Elbo.Likelihoods;
using Elbo.Models;
using Elbo.Objectives;
using Elbo.Serialization;
using Elbo.Tests.Data;
using Elbo.Training;

namespace Elbo.Tests.Training.Distributed;

/// <summary>The trainer on a group of threads (<see cref="ThreadedProcessGroup"/>): the data-parallel logic of the
/// library — shards, the gradient sum, the reduced metrics, batch-norm statistics, rank 0 alone writing — checked
/// against one process without MPI (tests/Elbo.Distributed.Tests runs the real thing under mpiexec).</summary>
public class DataParallelTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("elbo-dp").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Data()
    {
        string data = Path.Combine(_dir, "data");
        if (!Directory.Exists(data)) IdxFixtures.WriteDataset(data, train: 45, test: 13, rows: 8, cols: 8);
        return data;
    }

    private static RunConfig Config(string model, int epochs = 2) => new()
    {
        Model = ModelRegistry.Specs.Get(model), Likelihood = LikelihoodRegistry.Specs.Get("bernoulli"), Latent = 3, Hidden = [16], Channels = [4, 8],
        Epochs = epochs, BatchSize = 15, Lr = 1e-2, Beta = 1, Kl = KlEstimator.Closed, Seed = 5, Threads = 1,
    };

    // Trains on every member of a threaded group at once; rank r writes into outDirs[r].
    // The float Allreduce calls: one per step (45 rows at 15: 3 an epoch), and one per epoch for batch norm's running
    // statistics when the model has them.
    private static List<EpochMetrics>[] RunRanks(int size, RunConfig config, string data, string[] outDirs, int floatSumsPerEpoch = 3)
    {
        var group = ThreadedProcessGroup.Create(size);
        var results = new List<EpochMetrics>[size];
        var errors = new Exception?[size];
        var threads = Enumerable.Range(0, size).Select(r => new Thread(() =>
        {
            try { results[r] = Trainer.Create(config, data, outDirs[r], RunMode.New, group: group[r]).Run(); }
            catch (Exception e) { errors[r] = e; }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        foreach (var e in errors) if (e is not null) throw new InvalidOperationException("a rank failed", e);
        Assert.All(group, g => Assert.Equal(config.Epochs * floatSumsPerEpoch, g.FloatSums));
        return results;
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]                // 15 rows over 3 ranks
    public void RanksOfThreadsTrainAsOneProcessAndOnlyRankZeroWrites(int ranks)
    {
        string one = Path.Combine(_dir, "one");
        var alone = Trainer.Create(Config("mlp"), Data(), one, RunMode.New).Run();
        var outDirs = Enumerable.Range(0, ranks).Select(r => Path.Combine(_dir, $"rank{r}")).ToArray();
        var results = RunRanks(ranks, Config("mlp"), Data(), outDirs);

        foreach (var dir in outDirs.Skip(1)) Assert.False(Directory.Exists(dir), $"{dir}: a rank other than 0 wrote");
        var a = Checkpoint.Load(one);
        var b = Checkpoint.Load(outDirs[0]);
        Assert.Equal(a.State.Step, b.State.Step);
        foreach (var (key, t) in a.ModelState)
            for (int i = 0; i < t.Numel; i++) Assert.True(Math.Abs(t.Data[i] - b.ModelState[key].Data[i]) <= 1e-4f, $"{key}[{i}]");
        for (int e = 0; e < 2; e++)
        {
            // every rank has the global metrics
            foreach (var r in results)
            {
                Assert.Equal(alone[e].TrainLoss, r[e].TrainLoss, 2);
                Assert.Equal(alone[e].TestLoss, r[e].TestLoss, 2);
                Assert.Equal(ranks, r[e].Ranks);
            }
        }
    }

    [Fact]
    public void AConvRunOnTwoRanksUpdatesBatchNormStatisticsAndResumesInOneProcess()
    {
        var outDirs = new[] { Path.Combine(_dir, "r0"), Path.Combine(_dir, "r1") };
        RunRanks(2, Config("conv"), Data(), outDirs, floatSumsPerEpoch: 4);
        var content = Checkpoint.Load(outDirs[0]);
        var mean = content.ModelState.First(kv => kv.Key.EndsWith("running_mean", StringComparison.Ordinal)).Value;
        Assert.Contains(mean.Data.ToArray(), v => v != 0f);          // updated from the shards' statistics
        // a third epoch in one process continues the 2-rank checkpoint
        var resumed = Trainer.Create(Config("conv", epochs: 3), null, outDirs[0], RunMode.Resume);
        Assert.Equal(3, resumed.StartEpoch);
        Assert.Single(resumed.Run());
        Assert.Equal(9, Checkpoint.Load(outDirs[0]).State.Step);
    }
}
