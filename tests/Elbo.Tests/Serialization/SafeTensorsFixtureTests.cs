using Elbo.Serialization;

namespace Elbo.Tests.Serialization;

/// <summary>Reads Fixtures/tiny.safetensors, written outside Elbo by Fixtures/make_fixture.py (PyTorch tensors,
/// the safetensors layout as safetensors.torch.save_file writes it: sorted names, no checksum, "format": "pt").</summary>
public class SafeTensorsFixtureTests
{
    private static string FixturePath() => Path.Combine(AppContext.BaseDirectory, "Serialization", "Fixtures", "tiny.safetensors");

    [Fact]
    public void ReadsTheTensorsAndMetadataOfAFileWrittenOutsideElbo()
    {
        var content = SafeTensorsFile.Read(FixturePath());

        Assert.Equal(["cube", "empty", "encoder.bias", "encoder.weight", "scale"], content.Tensors.Keys);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, content.Metadata);

        var cube = content.Tensors["cube"];
        Assert.Equal([2, 2, 2], cube.ShapeArray());
        Assert.Equal([-4f, -3f, -2f, -1f, 0f, 1f, 2f, 3f], cube.ToArray());

        Assert.Equal([0, 4], content.Tensors["empty"].ShapeArray());
        Assert.Equal([0.25f, -0.125f], content.Tensors["encoder.bias"].ToArray());

        var weight = content.Tensors["encoder.weight"];
        Assert.Equal([2, 3], weight.ShapeArray());
        Assert.Equal([-1f, -0.5f, 0f, 0.5f, 1f, 1.5f], weight.ToArray());

        var scale = content.Tensors["scale"];
        Assert.Equal(0, scale.Rank);
        Assert.Equal(3.5f, scale.Item());
    }
}
