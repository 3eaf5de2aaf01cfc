using Elbo.Data;
using Elbo.Engine.Nn;

namespace Elbo.Models;

/// <summary>
/// PyTorch-VAE's VanillaVAE networks, with every shape derived from the input: the encoder is one block per entry of
/// the channel list, Conv2d(3×3, stride 2, padding 1) + BatchNorm2d + LeakyReLU, then a flatten; the decoder is
/// decoder_input (Linear L → c_k·s·s), then ConvTranspose2d(3×3, stride 2, padding 1, output padding 1) + BatchNorm2d +
/// LeakyReLU blocks back through the channel list, a last such block at c₁, and a 3×3 Conv2d to P·C output channels,
/// flattened. Each encoder block maps a side n to ⌈n/2⌉ and each decoder block doubles it, so the input's height and
/// width must survive the round trip (28 with two blocks: 28 → 14 → 7 → 14 → 28; 64 with five: 64 → 2 → 64).
/// </summary>
public static class ConvNetworks
{
    /// <summary>The encoder (B, C·H·W) → (B, c_k·s_h·s_w); returns it with its feature count and the final side sizes.</summary>
    public static (Sequential Encoder, int Features, int Height, int Width) Encoder(DataShape input, IReadOnlyList<int> channels, Generator g)
    {
        CheckGeometry(input, channels);
        var encoder = new Sequential(new Unflatten(1, input.Channels, input.Height, input.Width));
        int c = input.Channels, h = input.Height, w = input.Width;
        foreach (int ch in channels)
        {
            encoder.Append(new Conv2d(c, ch, 3, g, stride: 2, padding: 1)).Append(new BatchNorm2d(ch)).Append(new LeakyReLU());
            c = ch;
            h = Half(h);
            w = Half(w);
        }
        encoder.Append(new Flatten());
        return (encoder, c * h * w, h, w);
    }

    /// <summary>The decoder (B, L) → (B, P·C·H·W).</summary>
    public static Sequential Decoder(DataShape input, IReadOnlyList<int> channels, int latent, int parametersPerFeature, Generator g)
    {
        CheckGeometry(input, channels);
        int h = input.Height, w = input.Width;
        for (int i = 0; i < channels.Count; i++)
        {
            h = Half(h);
            w = Half(w);
        }
        int last = channels[^1];
        var decoder = new Sequential(new Linear(latent, last * h * w, g), new Unflatten(1, last, h, w));
        for (int i = channels.Count - 1; i >= 1; i--)
            decoder.Append(new ConvTranspose2d(channels[i], channels[i - 1], 3, g, stride: 2, padding: 1, outputPadding: 1))
                .Append(new BatchNorm2d(channels[i - 1])).Append(new LeakyReLU());
        decoder.Append(new ConvTranspose2d(channels[0], channels[0], 3, g, stride: 2, padding: 1, outputPadding: 1))
            .Append(new BatchNorm2d(channels[0])).Append(new LeakyReLU())
            .Append(new Conv2d(channels[0], parametersPerFeature * input.Channels, 3, g, padding: 1))
            .Append(new Flatten());
        return decoder;
    }

    private static int Half(int n) => (n + 1) / 2; // (n + 2·1 − 3) / 2 + 1

    /// <summary>Throws a <see cref="SettingException"/> (channels) when the input cannot make the encode/decode round trip.</summary>
    public static void CheckGeometry(DataShape input, IReadOnlyList<int> channels)
    {
        if (channels.Count == 0) throw new SettingException("channels", "needs at least one channel count for the conv model");
        int h = input.Height, w = input.Width;
        for (int i = 0; i < channels.Count; i++)
        {
            h = Half(h);
            w = Half(w);
        }
        int dh = h << channels.Count, dw = w << channels.Count;
        if (dh != input.Height || dw != input.Width)
            throw new SettingException("channels",
                $"do not fit the input: a {input.Height}x{input.Width} input with {channels.Count} stride-2 blocks encodes to {h}x{w} and decodes to " +
                $"{dh}x{dw}, not {input.Height}x{input.Width}: use sides divisible by {1 << channels.Count}, or fewer channel entries");
    }
}
