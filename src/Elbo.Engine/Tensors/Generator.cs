using System.Numerics;
using System.Runtime.Intrinsics;

namespace Elbo.Engine.Tensors;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64), so that a run is reproducible for a
/// given seed. Uniform floats use the top 24 bits; normals use the Box–Muller transform in double precision.
/// Not thread-safe: use one per thread.
/// </summary>
public sealed class Generator
{
    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpare;
    private float _spare;

    /// <summary>A generator seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed) => ManualSeed(seed);

    /// <summary>Restarts the sequence from <paramref name="seed"/>.</summary>
    public void ManualSeed(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
        _hasSpare = false;
    }

    /// <summary>The generator's full state (for checkpoints).</summary>
    public ulong[] GetState() => [_s0, _s1, _s2, _s3, _hasSpare ? 1UL : 0UL, BitConverter.SingleToUInt32Bits(_spare)];

    /// <summary>Restores a state from <see cref="GetState"/>.</summary>
    public void SetState(ReadOnlySpan<ulong> state)
    {
        if (state.Length != 6) throw new ArgumentException("generator: a state has 6 words");
        (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);
        _hasSpare = state[4] != 0;
        _spare = BitConverter.UInt32BitsToSingle((uint)state[5]);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A float uniform in [0, 1).</summary>
    public float NextFloat() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A double uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer uniform in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxExclusive, 0);
        return (int)((NextUInt64() >> 33) * (ulong)maxExclusive >> 31);
    }

    /// <summary>A standard normal sample.</summary>
    public float NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double theta = 2.0 * Math.PI * u2;
        _spare = (float)(r * Math.Sin(theta));
        _hasSpare = true;
        return (float)(r * Math.Cos(theta));
    }

    /// <summary>Fills with uniform samples from [low, high).</summary>
    public void FillUniform(Span<float> destination, float low = 0f, float high = 1f)
    {
        float scale = high - low;
        for (int i = 0; i < destination.Length; i++) destination[i] = low + scale * NextFloat();
    }

    // One Box–Muller block's uniforms: u1[j] in (0, 1] and u2[j] in [0, 1), 24 bits each, from one 64-bit draw per j.
    private void NextUniformPairs(Span<float> u1, Span<float> u2)
    {
        for (int j = 0; j < u1.Length; j++)
        {
            ulong bits = NextUInt64();
            u1[j] = 1f - (bits >> 40) * (1f / (1 << 24));
            u2[j] = ((uint)bits >> 8) * (1f / (1 << 24));
        }
    }

    /// <summary>Fills with standard normal samples. Where Vector512 or Vector256 is accelerated, blocks of 32 come from a
    /// vectorized Box–Muller transform in float (u₁ has 24 bits, so |z| ≤ 5.8): 16 pairs, their 16 r·cos θ then their 16
    /// r·sin θ, as one Vector512 or two Vector256 halves; the rest from <see cref="NextNormal"/>. The sequence is
    /// reproducible for a seed on the same kind of CPU.</summary>
    public void FillNormal(Span<float> destination)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Span<float> u1 = stackalloc float[16];
            Span<float> u2 = stackalloc float[16];
            var twoPi = Vector512.Create(2f * MathF.PI);
            var minusTwo = Vector512.Create(-2f);
            for (; i + 32 <= destination.Length; i += 32)
            {
                NextUniformPairs(u1, u2);
                var r = Vector512.Sqrt(minusTwo * Vector512.Log(Vector512.Create<float>(u1)));
                var (sin, cos) = Vector512.SinCos(twoPi * Vector512.Create<float>(u2));
                (r * cos).CopyTo(destination.Slice(i, 16));
                (r * sin).CopyTo(destination.Slice(i + 16, 16));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Span<float> u1 = stackalloc float[16];
            Span<float> u2 = stackalloc float[16];
            var twoPi = Vector256.Create(2f * MathF.PI);
            var minusTwo = Vector256.Create(-2f);
            for (; i + 32 <= destination.Length; i += 32)
            {
                NextUniformPairs(u1, u2);
                for (int h = 0; h < 16; h += 8)
                {
                    var r = Vector256.Sqrt(minusTwo * Vector256.Log(Vector256.Create<float>(u1[h..])));
                    var (sin, cos) = Vector256.SinCos(twoPi * Vector256.Create<float>(u2[h..]));
                    (r * cos).CopyTo(destination.Slice(i + h, 8));
                    (r * sin).CopyTo(destination.Slice(i + 16 + h, 8));
                }
            }
        }
        for (; i < destination.Length; i++) destination[i] = NextNormal();
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
