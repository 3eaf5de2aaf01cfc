using System.Security.Cryptography;
using Elbo.Api;
using Elbo.Engine.Autograd;
using Elbo.Serialization;
using Elbo.Training;
using Xunit.Abstractions;

namespace Elbo.Tests.Interop;

/// <summary>
/// Elbo checkpoints in PyTorch. Fixtures/&lt;kind&gt;/ holds four runs trained by <c>elbo train</c> on Fashion-MNIST
/// (mlp with a Bernoulli likelihood, conv with BatchNorm and a learned-variance Gaussian, ae with a continuous
/// Bernoulli, cvae with a Gaussian); Fixtures/make_pytorch_outputs.py built the matching torch modules, loaded each
/// model.safetensors into them with <c>load_state_dict(strict=True)</c> (so the names are PyTorch's), ran them on
/// three Fashion-MNIST test pictures and standard normal z, and wrote what PyTorch computed to
/// Fixtures/pytorch_&lt;kind&gt;.safetensors. Here Elbo loads the same checkpoints and must compute the same.
/// <para>Tolerance: 1e-5 absolute plus 1e-5 relative. Both frameworks compute in float32 with the same weights and
/// inputs; what may differ is the order of the sums (GEMM blocking and SIMD width, PyTorch's own convolution) and the
/// exp/log/sigmoid implementations. Float32 rounds each operation by at most 2⁻²⁴ ≈ 6e-8 relative, and the longest sums
/// here have 794 terms, so differences of a few 1e-7 relative are expected. Measured: with OpenBLAS (Debian's PyTorch
/// calls the same sgemm) the MLPs agree to the bit in their linear layers and to 1.2e-7 in the means, the conv to
/// 3.8e-6 (its decoder's outputs reach 10.5); with ELBO_GEMM=managed the worst is 1.5e-5 on the ae's codes, which reach
/// 69 (2e-7 relative). So the bound leaves a margin of 20 or more and still fails on any real difference: a wrong
/// layer order, a transposed weight, a missed bias or BatchNorm in training mode change outputs by 1e-2 or more.</para>
/// <para>The continuous Bernoulli's mean is not PyTorch's float32 <c>torch.distributions</c> value, which is off by up
/// to 1.7e-3 near p = 1/2 and clamped for large logits (see the script): the script computes it in float64.</para>
/// </summary>
public class PyTorchInteropTests(ITestOutputHelper output)
{
    private const float Absolute = 1e-5f, Relative = 1e-5f;

    private static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Interop", "Fixtures", .. parts]);

    [Theory]
    [InlineData("mlp")]
    [InlineData("conv")]
    [InlineData("ae")]
    [InlineData("cvae")]
    public void ElboComputesWhatPyTorchComputedFromTheSameCheckpoint(string kind)
    {
        var torch = SafeTensorsFile.Read(Fixture($"pytorch_{kind}.safetensors"));
        string weights = Fixture(kind, RunFolder.Weights);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights))), torch.Metadata["checkpoint_sha256"]);
        var (config, model) = TrainedRun.Load(Fixture(kind));
        // The tensors PyTorch's load_state_dict took, strictly, are Elbo's state dict: the same names in the same order.
        Assert.Equal(torch.Metadata["state_dict"].Split(','), model.StateDict().Keys);

        var x = torch.Tensors["x"];
        int[] labels = model.IsConditional ? [.. torch.Tensors["labels"].ToArray().Select(v => (int)v)] : [];
        var z = torch.Tensors["z"];
        float worst = 0;
        void Same(string name, Tensor elbo)
        {
            var expected = torch.Tensors[name];
            Assert.Equal(expected.ShapeArray(), elbo.ShapeArray());
            float difference = 0;
            var (e, a) = (expected.ToArray(), elbo.ToArray());
            for (int i = 0; i < e.Length; i++)
            {
                float d = MathF.Abs(e[i] - a[i]);
                Assert.True(d <= Absolute + Relative * MathF.Abs(e[i]), $"{kind} {name}[{i}]: Elbo {a[i]}, PyTorch {e[i]}");
                difference = MathF.Max(difference, d);
            }
            output.WriteLine($"{kind} {name}: max |Elbo - PyTorch| {difference:E2}");
            worst = MathF.Max(worst, difference);
        }

        using (GradMode.NoGrad())
        {
            var q = model.Encode(x, labels);
            Same("mu", q.Location);
            if (model.Posterior.HasDensity) Same("logvar", q.Parameters[1]);
            else Assert.False(torch.Tensors.ContainsKey("logvar"));
            var parameters = model.Decode(z, labels);
            Same("params", parameters);
            Same("mean", model.Likelihood.Mean(parameters));
            Same("reconstruction", model.Likelihood.Mean(model.Decode(q.Location, labels)));
        }
        // The application API gives the same means.
        var api = ElboModel.Load(Fixture(kind));
        Same("mean", Tensor.FromArray([.. api.Decode(ToMatrix(z), labels).Cast<float>()], z.Dim(0), x.Dim(1)));
        output.WriteLine($"{kind} ({config.Likelihood.Name}, PyTorch {torch.Metadata["torch"]}): worst {worst:E2}");
    }

    [Fact]
    public void ThePicturesPyTorchWasGivenAreTheTestPicturesAsElboReadsThem()
    {
        // make_pytorch_outputs.py reads Debian's Fashion-MNIST files itself and scales by 1/255, as config.json says;
        // Elbo's reader gives the same values, so a PyTorch user preparing data that way feeds the model what it was
        // trained on.
        var torch = SafeTensorsFile.Read(Fixture("pytorch_mlp.safetensors"));
        var (config, _) = TrainedRun.Load(Fixture("mlp"));
        Assert.Equal("scale 1/255", config.Normalization.Kind);
        var test = TrainedRun.LoadData(config).Test;
        var x = torch.Tensors["x"];
        var mine = new float[x.Dim(0) * x.Dim(1)];
        for (int i = 0; i < x.Dim(0); i++) test.CopyImage(i, mine.AsSpan(i * x.Dim(1), x.Dim(1)));
        Assert.Equal(x.ToArray(), mine);
        Assert.Equal(torch.Tensors["labels"].ToArray(), test.Labels[..x.Dim(0)].ToArray().Select(l => (float)l));
    }

    private static float[,] ToMatrix(Tensor t)
    {
        var m = new float[t.Dim(0), t.Dim(1)];
        var values = t.ToArray();
        for (int i = 0; i < t.Dim(0); i++)
            for (int j = 0; j < t.Dim(1); j++) m[i, j] = values[i * t.Dim(1) + j];
        return m;
    }
}
