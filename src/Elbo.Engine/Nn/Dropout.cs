using System.Globalization;

namespace Elbo.Engine.Nn;

/// <summary>Zeroes each element with probability p and scales the others by 1/(1−p) in training mode; the identity
/// in evaluation mode (torch.nn.Dropout). Draws its masks from the given <see cref="Generator"/>.</summary>
public sealed class Dropout : Module
{
    private readonly Generator _generator;

    /// <summary>Creates the layer; masks are drawn from <paramref name="generator"/>.</summary>
    public Dropout(Generator generator, float p = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (!(p >= 0 && p <= 1)) throw new ArgumentException($"dropout: probability {p} must be in [0, 1]");
        _generator = generator;
        P = p;
    }

    /// <summary>The probability of zeroing an element.</summary>
    public float P { get; }

    /// <inheritdoc/>
    // x (any shape) → y (same shape)
    public override Tensor Forward(Tensor x) => Functional.Dropout(x, P, Training, _generator);

    /// <inheritdoc/>
    protected override string ExtraRepr() => string.Create(CultureInfo.InvariantCulture, $"p={P}");
}
