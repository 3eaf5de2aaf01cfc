using Elbo.Engine.Nn;

namespace Elbo.Engine.Tests.Support;

/// <summary>x ↦ x·x elementwise: a working nonlinearity for tests that must not depend on the activation ops.</summary>
public sealed class Square : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => x * x;
}

/// <summary>A small nested model: encoder = Sequential(Linear, Square, Linear), decoder = Sequential(Linear), and a
/// scale parameter of its own.</summary>
public sealed class TinyAutoencoder : Module
{
    public TinyAutoencoder(Generator g, int input = 4, int hidden = 3, int latent = 2)
    {
        Scale = RegisterParameter("scale", Tensor.Ones(1));
        Encoder = RegisterModule("encoder", new Sequential(new Linear(input, hidden, g), new Square(), new Linear(hidden, latent, g)));
        Decoder = RegisterModule("decoder", new Sequential(new Linear(latent, input, g)));
    }

    public Tensor Scale { get; }
    public Sequential Encoder { get; }
    public Sequential Decoder { get; }

    public override Tensor Forward(Tensor x) => Decoder.Forward(Encoder.Forward(x)) * Scale;
}
