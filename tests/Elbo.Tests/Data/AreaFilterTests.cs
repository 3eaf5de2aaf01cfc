using Elbo.Data;

namespace Elbo.Tests.Data;

public class AreaFilterTests
{
    [Fact]
    public void EveryOutputIsAnAverageItsWeightsSumToOneAndEverySourceSampleCountsEqually()
    {
        for (int source = 1; source <= 40; source++)
            for (int target = 1; target <= 40; target++)
            {
                var filter = new AreaFilter(source, target);
                var total = new double[source];
                for (int i = 0; i < target; i++)
                {
                    var w = filter.Weights(i);
                    Assert.Equal(1.0, w.ToArray().Sum(x => (double)x), 5);
                    for (int t = 0; t < w.Length; t++) total[filter.First(i) + t] += w[t];
                }
                // Each source sample's weights add up to target/source: no sample is dropped or counted twice.
                foreach (double t in total) Assert.Equal((double)target / source, t, 4);
            }
    }

    [Fact]
    public void DownscalingAveragesTheFootprintOfEachOutput()
    {
        var halve = new AreaFilter(4, 2);
        var output = new float[2];
        halve.Apply([0f, 10f, 20f, 40f], output);
        Assert.Equal([5f, 30f], output);

        // 3 → 2: outputs cover [0, 1.5) and [1.5, 3): weights 2/3, 1/3 and 1/3, 2/3.
        new AreaFilter(3, 2).Apply([0f, 30f, 60f], output);
        Assert.Equal(10f, output[0], 4);
        Assert.Equal(50f, output[1], 4);
    }

    [Fact]
    public void InterleavedChannelsAreResampledSeparately()
    {
        var output = new float[4];
        new AreaFilter(2, 2).Apply([1f, 2f, 3f, 4f], output, stride: 2);
        Assert.Equal([1f, 2f, 3f, 4f], output);
        new AreaFilter(2, 1).Apply([1f, 2f, 3f, 4f], output.AsSpan(0, 2), stride: 2);
        Assert.Equal([2f, 3f], output[..2]);
    }

    [Fact]
    public void UpscalingRepeatsSamples()
    {
        var output = new float[4];
        new AreaFilter(1, 4).Apply([7f], output);
        Assert.Equal([7f, 7f, 7f, 7f], output);
    }
}
