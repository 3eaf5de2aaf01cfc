using Elbo.Engine.Onnx;
using Elbo.Engine.Tests.Support;
using Google.Protobuf;

namespace Elbo.Engine.Tests.Onnx;

public class OnnxGraphTests
{
    [Fact]
    public void OneHotMarksTheLabelAndLeavesLabelsOutOfRangeAllZero()
    {
        var graph = new OnnxGraph("onehot");
        var labels = graph.Input("label", OnnxElementType.Int64, [-1]);
        graph.Output(graph.OneHot(labels, 4, "one_hot"), "y");
        var y = OnnxTestRuntime.Run(graph.ToModel(OnnxOpset.Default).ToByteArray(), OnnxInput.Labels("label", [2, 0, 3, -1, 4]))["y"];
        Assert.Equal(new[] { 5, 4 }, y.ShapeArray());
        Assert.Equal(new float[] { 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, y.ToArray());
    }

    [Fact]
    public void AnOutputRenamesTheValueAndItsConsumersFollow()
    {
        var graph = new OnnxGraph("rename");
        var x = graph.Input("x", OnnxElementType.Float, [-1, 3]);
        var p = graph.Unary("Relu", x, "decoder");
        var mean = graph.Unary("Sigmoid", p, "mean_of");
        graph.Output(p, "params");
        graph.Output(mean, "mean");
        graph.Output(x, "x_again");       // an input becomes an output through Identity
        Assert.Equal("params", p.Name);
        var model = graph.ToModel(OnnxOpset.Default);
        Assert.Equal(["params", "params"], new[] { model.Graph.Node[0].Output[0], model.Graph.Node[1].Input[0] });
        Assert.Equal(["params", "mean", "x_again"], model.Graph.Output.Select(o => o.Name));
        var outputs = OnnxTestRuntime.Run(model.ToByteArray(), OnnxInput.Of("x", Tensor.FromArray([-1f, 0f, 2f], 1, 3)));
        Assert.Equal(new[] { 0f, 0f, 2f }, outputs["params"].ToArray());
        Assert.Equal(new[] { -1f, 0f, 2f }, outputs["x_again"].ToArray());
    }

    [Fact]
    public void NamesAreUniqueAndShapesAreChecked()
    {
        var graph = new OnnxGraph("names");
        var x = graph.Input("x", OnnxElementType.Float, [-1, 3]);
        Assert.Equal("onnx: graph names already has a value named 'x'",
            Assert.Throws<ArgumentException>(() => graph.Input("x", OnnxElementType.Float, [-1, 3])).Message);
        Assert.Equal("h_1", graph.Unary("Relu", graph.Unary("Relu", x, "h"), "h").Name);
        Assert.Throws<OnnxExportException>(() => graph.Narrow(x, 1, 2, 2, "slice"));
        Assert.Throws<OnnxExportException>(() => graph.Binary("Add", x, graph.Input("y", OnnxElementType.Float, [-1, 4]), "sum"));
        Assert.Equal("(B,5)", graph.Concat([x, graph.Input("w", OnnxElementType.Float, [-1, 2])], 1, "cat").ShapeString);
    }
}
