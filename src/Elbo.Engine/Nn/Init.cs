namespace Elbo.Engine.Nn;

/// <summary>Parameter initialization, as torch.nn.init. Every random initializer takes the
/// <see cref="Generator"/> to draw from, so a model is the same for the same seed.</summary>
public static class Init
{
    /// <summary>The fan-in of a weight, as PyTorch's _calculate_fan_in_and_fan_out: size of dimension 1 times the
    /// product of the dimensions after it (Linear (out,in) → in; Conv2d (O,C,kh,kw) → C·kh·kw; ConvTranspose2d
    /// (in,out,kh,kw) → out·kh·kw).</summary>
    public static int CalculateFanIn(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException($"calculate_fan_in: fan in cannot be computed for a tensor of shape {tensor.ShapeString} (fewer than 2 dimensions)");
        int fan = tensor.Dim(1);
        for (int d = 2; d < tensor.Rank; d++) fan *= tensor.Dim(d);
        return fan;
    }

    /// <summary>The fan-out of a weight: size of dimension 0 times the product of the dimensions after 1.</summary>
    public static int CalculateFanOut(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank < 2)
            throw new ArgumentException($"calculate_fan_out: fan out cannot be computed for a tensor of shape {tensor.ShapeString} (fewer than 2 dimensions)");
        int fan = tensor.Dim(0);
        for (int d = 2; d < tensor.Rank; d++) fan *= tensor.Dim(d);
        return fan;
    }

    /// <summary>The recommended gain of leaky_relu with negative slope <paramref name="a"/>: √(2/(1+a²))
    /// (torch.nn.init.calculate_gain('leaky_relu', a)).</summary>
    public static double LeakyReluGain(double a) => Math.Sqrt(2.0 / (1.0 + a * a));

    /// <summary>Kaiming (He) uniform initialization in place: U(−bound, bound) with bound = gain·√(3/fanIn),
    /// gain = √(2/(1+a²)) (leaky_relu nonlinearity, fan_in mode, as torch.nn.init.kaiming_uniform_). With
    /// a = √5 (the default of Linear and Conv layers) the bound is 1/√fanIn. When <paramref name="fanIn"/> is 0 or
    /// less it is computed with <see cref="CalculateFanIn"/>. Returns the tensor.</summary>
    public static Tensor KaimingUniform(Tensor tensor, double a, int fanIn, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        if (fanIn <= 0) fanIn = CalculateFanIn(tensor);
        if (fanIn == 0) return tensor; // empty tensor: nothing to fill (PyTorch warns)
        double bound = LeakyReluGain(a) * Math.Sqrt(3.0 / fanIn);
        return Uniform(tensor, (float)-bound, (float)bound, generator);
    }

    /// <summary>Kaiming uniform with the fan-in computed from the tensor's shape.</summary>
    public static Tensor KaimingUniform(Tensor tensor, double a, Generator generator) => KaimingUniform(tensor, a, 0, generator);

    /// <summary>Fills the tensor in place with samples from U(<paramref name="low"/>, <paramref name="high"/>).
    /// Returns the tensor.</summary>
    public static Tensor Uniform(Tensor tensor, float low, float high, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(low <= high)) throw new ArgumentException($"uniform: low {low} is above high {high}");
        generator.FillUniform(tensor.Data, low, high);
        return tensor;
    }

    /// <summary>Fills the tensor in place with samples from N(<paramref name="mean"/>, <paramref name="std"/>²).
    /// Returns the tensor.</summary>
    public static Tensor Normal(Tensor tensor, float mean, float std, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(generator);
        var d = tensor.Data;
        generator.FillNormal(d);
        for (int i = 0; i < d.Length; i++) d[i] = mean + std * d[i];
        return tensor;
    }

    /// <summary>Sets every element to <paramref name="value"/>. Returns the tensor.</summary>
    public static Tensor Constant(Tensor tensor, float value)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tensor.Data.Fill(value);
        return tensor;
    }

    /// <summary>Sets every element to 0. Returns the tensor.</summary>
    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0f);

    /// <summary>Sets every element to 1. Returns the tensor.</summary>
    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1f);

    /// <summary>PyTorch's default initialization of a layer with weight <paramref name="weight"/> and optional
    /// bias (Linear, Conv2d, ConvTranspose2d reset_parameters): weight kaiming_uniform(a=√5), i.e.
    /// U(±1/√fan_in), then bias U(±1/√fan_in) with the weight's fan-in. Draws the weight first, then the bias.</summary>
    public static void DefaultLayerInit(Tensor weight, Tensor? bias, Generator generator)
    {
        KaimingUniform(weight, Math.Sqrt(5.0), generator);
        if (bias is null) return;
        int fanIn = CalculateFanIn(weight);
        double bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0.0;
        Uniform(bias, (float)-bound, (float)bound, generator);
    }
}
