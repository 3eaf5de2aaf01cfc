using Elbo.Engine.Nn;

namespace Elbo.Models;

/// <summary>The fully connected encoder and decoder of pytorch/examples' VAE, generalized to any list of hidden sizes:
/// encoder D → h₁ → … → h_k with ReLU after each layer; decoder L → h_k → … → h₁ with ReLU, then a linear layer to
/// P·D outputs. With hidden [400] and L = 20 this is exactly the 784-400-20-400-784 model.</summary>
public static class MlpNetworks
{
    /// <summary>The encoder (B, D) → (B, h_k); returns it with h_k.</summary>
    public static (Sequential Encoder, int Features) Encoder(int inputs, IReadOnlyList<int> hidden, Generator g)
    {
        var encoder = new Sequential();
        int width = inputs;
        foreach (int h in hidden)
        {
            encoder.Append(new Linear(width, h, g)).Append(new ReLU());
            width = h;
        }
        return (encoder, width);
    }

    /// <summary>The decoder (B, L) → (B, outputs).</summary>
    public static Sequential Decoder(int latent, IReadOnlyList<int> hidden, int outputs, Generator g)
    {
        var decoder = new Sequential();
        int width = latent;
        for (int i = hidden.Count - 1; i >= 0; i--)
        {
            decoder.Append(new Linear(width, hidden[i], g)).Append(new ReLU());
            width = hidden[i];
        }
        decoder.Append(new Linear(width, outputs, g));
        return decoder;
    }
}
