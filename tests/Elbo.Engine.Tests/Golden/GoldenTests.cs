using System.Text.Json;
using Elbo.Engine.Nn;
using Elbo.Engine.Optim;

namespace Elbo.Engine.Tests.Golden;

/// <summary>
/// Compares the engine with PyTorch on the fixtures made by Fixtures/make_golden.py (kept beside them): the same
/// initial weights and batch must give the same forward output, loss, gradients after one backward, parameters and
/// batch-norm buffers after 3 Adam steps, and eval-mode output. No Python is needed to run these tests.
/// </summary>
public class GoldenTests
{
    private sealed class Fixture
    {
        public required JsonElement Root;
        public Tensor Get(params string[] path)
        {
            var e = Root;
            foreach (var p in path) e = e.GetProperty(p);
            var shape = e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            var data = e.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            if (shape.Length == 0) return Tensor.Scalar(data[0]);
            return Tensor.FromArray(data, shape);
        }
        public IEnumerable<string> Keys(string section) => Root.GetProperty(section).EnumerateObject().Select(p => p.Name);
    }

    private static Fixture Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", $"golden_{name}.json");
        return new Fixture { Root = JsonDocument.Parse(File.ReadAllText(path)).RootElement };
    }

    private static void AssertClose(Tensor expected, Tensor actual, float tol, string what)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape), $"{what}: shape {actual.ShapeString}, expected {expected.ShapeString}");
        var e = expected.Data;
        var a = actual.Data;
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tol * (1 + Math.Abs(e[i])), $"{what}[{i}]: {a[i]:G7}, PyTorch {e[i]:G7}");
    }

    private static void Run(string name, Module model, Func<Tensor, Tensor, Tensor> loss)
    {
        var f = Load(name);
        var state = f.Keys("state_dict").ToDictionary(k => k, k => f.Get("state_dict", k));
        model.LoadStateDict(state);
        var x = f.Get("inputs", "x");
        var target = f.Get("inputs", "target");

        model.Train();
        var output = model.Forward(x);
        AssertClose(f.Get("output"), output, 1e-5f, "output");
        var l = loss(output, target);
        Assert.Equal(f.Root.GetProperty("loss").GetSingle(), l.Item(), 1e-4f * (1 + Math.Abs(l.Item())));
        l.Backward();
        foreach (var (key, p) in model.NamedParameters())
            AssertClose(f.Get("grads", key), p.Grad!, 1e-4f, $"grad {key}");

        float lr = f.Root.GetProperty("adam").GetProperty("lr").GetSingle();
        var adam = new Adam(model.Parameters(), lr);
        adam.Step();
        for (int i = 0; i < 2; i++)
        {
            adam.ZeroGrad();
            loss(model.Forward(x), target).Backward();
            adam.Step();
        }
        var after = model.StateDict();
        foreach (var key in f.Keys("after_adam"))
            AssertClose(f.Get("after_adam", key), after[key], 1e-4f, $"after 3 Adam steps {key}");

        model.Eval();
        AssertClose(f.Get("eval_output"), model.Forward(x), 1e-4f, "eval output");
    }

    [Fact]
    public void MlpMatchesPyTorch()
    {
        var g = new Generator(0);
        var model = new Sequential(new Linear(6, 5, g), new ReLU(), new Linear(5, 4, g), new Tanh(), new Linear(4, 6, g));
        Run("mlp", model, (logits, t) => Functional.BinaryCrossEntropyWithLogits(logits, t, Reduction.Sum) / logits.Dim(0));
    }

    [Fact]
    public void ConvNetMatchesPyTorch()
    {
        var g = new Generator(0);
        var model = new Sequential(new Conv2d(1, 4, 3, g, stride: 2, padding: 1, bias: false), new BatchNorm2d(4), new LeakyReLU(0.01f),
            new ConvTranspose2d(4, 2, 3, g, stride: 2, padding: 1, outputPadding: 1));
        Run("conv", model, (output, t) =>
        {
            var mean = output.Narrow(1, 0, 1);
            var logVar = output.Narrow(1, 1, 1);
            return Functional.GaussianNllLoss(mean, logVar, t, Reduction.Sum) / output.Dim(0);
        });
    }
}
