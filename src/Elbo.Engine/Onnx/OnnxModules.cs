using System.Globalization;
using Elbo.Engine.Nn;
using Onnx;

namespace Elbo.Engine.Onnx;

/// <summary>
/// Translates the engine's nn modules into ONNX nodes, as they compute in evaluation mode: Sequential (each child in
/// turn), Linear (Gemm with transB), Conv2d (Conv), ConvTranspose2d
/// (ConvTranspose with output_padding), BatchNorm1d/2d (BatchNormalization with the running statistics), ReLU,
/// LeakyReLU (its slope), Sigmoid, Tanh, Softplus, Flatten and Unflatten (Reshape, the batch kept symbolic) and Dropout
/// (the identity). Weights become initializers named by their dotted path (<c>encoder.0.weight</c>), node outputs by
/// the module's path. Any other module is an <see cref="OnnxExportException"/> naming it, and so are batch
/// normalization and dropout in training mode (call <see cref="Module.Eval"/> first), and a layer whose sizes do not
/// fit its input.
/// </summary>
public static class OnnxModules
{
    /// <summary>Writes <paramref name="module"/>, at dotted <paramref name="path"/> (its name in the model, "" for
    /// none), applied to <paramref name="x"/> into <paramref name="graph"/>; returns its output.</summary>
    public static OnnxValue Write(OnnxGraph graph, Module module, string path, OnnxValue x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(x);
        string stem = path.Length == 0 ? module.GetType().Name : path;
        switch (module)
        {
            case Sequential sequential:
                foreach (var (name, child) in sequential.NamedChildren()) x = Write(graph, child, Join(path, name), x);
                return x;
            case Linear linear:
                return Linear(graph, linear, path, stem, x);
            case Conv2d conv:
                return Convolution(graph, conv, path, stem, x, "Conv", side => OutputSide(conv, side));
            case ConvTranspose2d convT:
                return Convolution(graph, convT, path, stem, x, "ConvTranspose", side => OutputSide(convT, side),
                    OnnxAttribute.Ints("output_padding", convT.OutputPadding, convT.OutputPadding));
            case BatchNormBase norm:
                return BatchNorm(graph, norm, path, stem, x);
            case ReLU:
                return graph.Unary("Relu", x, stem);
            case LeakyReLU leaky:
                return graph.Unary("LeakyRelu", x, stem, OnnxAttribute.Float("alpha", leaky.NegativeSlope));
            case Sigmoid:
                return graph.Unary("Sigmoid", x, stem);
            case Tanh:
                return graph.Unary("Tanh", x, stem);
            case Softplus:
                return graph.Unary("Softplus", x, stem);
            case Flatten flatten:
                return graph.Reshape(x, FlattenShape(flatten, stem, x), stem);
            case Unflatten unflatten:
                return graph.Reshape(x, UnflattenShape(unflatten, stem, x), stem);
            case Dropout:
                if (module.Training) throw TrainingMode(stem, module);
                return x;
            default:
                throw new OnnxExportException(
                    $"onnx: module '{stem}' ({module.GetType().Name}) has no ONNX form; Elbo translates Sequential, Linear, Conv2d, " +
                    "ConvTranspose2d, BatchNorm1d, BatchNorm2d, ReLU, LeakyReLU, Sigmoid, Tanh, Softplus, Flatten, Unflatten and Dropout");
        }
    }

    /// <summary>The dotted name of <paramref name="name"/> inside <paramref name="path"/>.</summary>
    public static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    // x (B,in) → (B,out): Gemm(x, W, b) with W transposed, as Functional.Linear
    private static OnnxValue Linear(OnnxGraph graph, Linear linear, string path, string stem, OnnxValue x)
    {
        if (x.Rank != 2 || x.Dim(1) != linear.InFeatures)
            throw Mismatch(stem, $"Linear takes (B,{linear.InFeatures}) inputs", x);
        var weight = graph.Initializer(Join(path, "weight"), linear.Weight);
        OnnxValue[] inputs = linear.Bias is { } b ? [x, weight, graph.Initializer(Join(path, "bias"), b)] : [x, weight];
        return graph.Node("Gemm", inputs, stem, [x.Dim(0), linear.OutFeatures], attributes: OnnxAttribute.Int("transB", 1));
    }

    // x (N,C,H,W) → (N,O,H',W'); a convolution and a transposed one differ in the op, the output size and output_padding
    private static OnnxValue Convolution(OnnxGraph graph, ConvolutionBase conv, string path, string stem, OnnxValue x, string op,
        Func<int, int> outputSide, params AttributeProto[] extra)
    {
        if (x.Rank != 4 || x.Dim(1) != conv.InChannels || x.Dim(2) < 0 || x.Dim(3) < 0)
            throw Mismatch(stem, $"{conv.GetType().Name} takes (N,{conv.InChannels},H,W) inputs", x);
        int height = outputSide(x.Dim(2)), width = outputSide(x.Dim(3));
        if (height <= 0 || width <= 0) throw Mismatch(stem, $"{conv.GetType().Name} leaves an empty output", x);
        var weight = graph.Initializer(Join(path, "weight"), conv.Weight);
        OnnxValue[] inputs = conv.Bias is { } b ? [x, weight, graph.Initializer(Join(path, "bias"), b)] : [x, weight];
        int k = conv.KernelSize, s = conv.Stride, p = conv.Padding;
        var attributes = new List<AttributeProto>
        {
            OnnxAttribute.Ints("kernel_shape", k, k), OnnxAttribute.Ints("strides", s, s), OnnxAttribute.Ints("pads", p, p, p, p),
        };
        attributes.AddRange(extra);
        return graph.Node(op, inputs, stem, [x.Dim(0), conv.OutChannels, height, width], attributes: [.. attributes]);
    }

    // (H + 2p − k)/s + 1, as Functional.Conv2d
    private static int OutputSide(Conv2d conv, int side) => (side + 2 * conv.Padding - conv.KernelSize) / conv.Stride + 1;

    // (H − 1)s − 2p + k + op, as Functional.ConvTranspose2d
    private static int OutputSide(ConvTranspose2d conv, int side) =>
        (side - 1) * conv.Stride - 2 * conv.Padding + conv.KernelSize + conv.OutputPadding;

    // x (N,C,…) → same shape: (x − running_mean)/√(running_var + eps)·γ + β
    private static OnnxValue BatchNorm(OnnxGraph graph, BatchNormBase norm, string path, string stem, OnnxValue x)
    {
        if (norm.Training) throw TrainingMode(stem, norm);
        bool rankFits = norm is BatchNorm2d ? x.Rank == 4 : x.Rank is 2 or 3;
        if (!rankFits || x.Dim(1) != norm.NumFeatures)
            throw Mismatch(stem, $"{norm.GetType().Name} takes {(norm is BatchNorm2d ? $"(N,{norm.NumFeatures},H,W)" : $"(N,{norm.NumFeatures}) or (N,{norm.NumFeatures},L)")} inputs", x);
        var scale = graph.Initializer(Join(path, "weight"), norm.Weight ?? Tensor.Ones(norm.NumFeatures));
        var shift = graph.Initializer(Join(path, "bias"), norm.Bias ?? Tensor.Zeros(norm.NumFeatures));
        var mean = graph.Initializer(Join(path, "running_mean"), norm.RunningMean);
        var variance = graph.Initializer(Join(path, "running_var"), norm.RunningVar);
        return graph.Node("BatchNormalization", [x, scale, shift, mean, variance], stem, x.Shape,
            attributes: OnnxAttribute.Float("epsilon", norm.Eps));
    }

    private static int[] FlattenShape(Flatten flatten, string stem, OnnxValue x)
    {
        int rank = x.Rank;
        int start = Shapes.NormalizeDim(flatten.StartDim, rank, "flatten"), end = Shapes.NormalizeDim(flatten.EndDim, rank, "flatten");
        if (start > end) throw Mismatch(stem, $"Flatten from dimension {flatten.StartDim} to {flatten.EndDim} does not fit its input", x);
        var shape = new List<int>(rank);
        for (int d = 0; d < start; d++) shape.Add(x.Dim(d));
        int merged = 1;
        for (int d = start; d <= end; d++)
        {
            if (x.Dim(d) < 0) throw Mismatch(stem, "Flatten cannot merge the batch dimension, which stays symbolic", x);
            merged *= x.Dim(d);
        }
        shape.Add(merged);
        for (int d = end + 1; d < rank; d++) shape.Add(x.Dim(d));
        return [.. shape];
    }

    private static int[] UnflattenShape(Unflatten unflatten, string stem, OnnxValue x)
    {
        int dim = Shapes.NormalizeDim(unflatten.Dim, x.Rank, "unflatten"), size = x.Dim(dim);
        if (size < 0) throw Mismatch(stem, "Unflatten cannot split the batch dimension, which stays symbolic", x);
        int known = 1, infer = -1;
        for (int i = 0; i < unflatten.Sizes.Length; i++)
        {
            if (unflatten.Sizes[i] == -1) infer = i;
            else known *= unflatten.Sizes[i];
        }
        if (infer >= 0 ? known == 0 || size % known != 0 : known != size)
            throw Mismatch(stem, $"Unflatten into {Shapes.Format(unflatten.Sizes)} does not fill dimension {dim}", x);
        var shape = new List<int>(x.Rank + unflatten.Sizes.Length);
        for (int d = 0; d < dim; d++) shape.Add(x.Dim(d));
        for (int i = 0; i < unflatten.Sizes.Length; i++) shape.Add(i == infer ? size / known : unflatten.Sizes[i]);
        for (int d = dim + 1; d < x.Rank; d++) shape.Add(x.Dim(d));
        return [.. shape];
    }

    private static OnnxExportException Mismatch(string stem, string what, OnnxValue x) =>
        new($"onnx: module '{stem}': {what} (input {x.ShapeString})");

    private static OnnxExportException TrainingMode(string stem, Module module) =>
        new(string.Create(CultureInfo.InvariantCulture,
            $"onnx: module '{stem}' ({module.GetType().Name}) is in training mode; export translates evaluation mode (call Eval() first)"));
}
