namespace Elbo.Data;

/// <summary>
/// One-dimensional area (box) resampling from <see cref="Source"/> samples to <see cref="Target"/>: output sample i
/// is the average of the source over the interval [i·s, (i+1)·s), s = Source/Target, each source sample weighted by
/// how much of it the interval covers — what OpenCV's <c>INTER_AREA</c> and PIL's <c>BOX</c> filter do. Applied to
/// rows and then to columns it is the exact mean of every output pixel's footprint.
/// <para>Why our own and not a library's: the mirror's managed choices either do not resample (StbImageSharp
/// only decodes) or bring a native library (SkiaSharp) into the VAE library for twenty lines of arithmetic. For
/// downscaling photos — the case that matters — the area average is the right antialiasing filter: every source
/// pixel counts exactly once, so no detail aliases into moiré, and it is what PyTorch-VAE's antialiased bilinear
/// resize approximates. Upscaling (a picture smaller than the image size) repeats pixels, blending the two at
/// each boundary.</para>
/// </summary>
public sealed class AreaFilter
{
    private readonly int[] _first, _offset;
    private readonly float[] _weights;

    /// <summary>The filter from <paramref name="source"/> samples to <paramref name="target"/>.</summary>
    public AreaFilter(int source, int target)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(source, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(target, 1);
        Source = source;
        Target = target;
        _first = new int[target];
        _offset = new int[target + 1];
        var weights = new List<float>(source + target);
        double scale = (double)source / target;
        for (int i = 0; i < target; i++)
        {
            double lo = i * scale, hi = i == target - 1 ? source : (i + 1) * scale;
            int j0 = (int)Math.Floor(lo), j1 = Math.Min(source - 1, (int)Math.Ceiling(hi) - 1);
            _first[i] = j0;
            _offset[i] = weights.Count;
            for (int j = j0; j <= j1; j++)
            {
                double covered = Math.Min(hi, j + 1) - Math.Max(lo, j);
                if (covered > 0) weights.Add((float)(covered / (hi - lo)));
                else if (j == j0) _first[i]++;      // an empty sliver at the start (rounding): skip it
            }
        }
        _offset[target] = weights.Count;
        _weights = weights.ToArray();
    }

    /// <summary>Samples in.</summary>
    public int Source { get; }

    /// <summary>Samples out.</summary>
    public int Target { get; }

    /// <summary>The first source sample of output <paramref name="i"/>.</summary>
    public int First(int i) => _first[i];

    /// <summary>The weights of output <paramref name="i"/>'s source samples from <see cref="First"/> on (they sum to 1).</summary>
    public ReadOnlySpan<float> Weights(int i) => _weights.AsSpan(_offset[i], _offset[i + 1] - _offset[i]);

    /// <summary>Resamples <paramref name="source"/> (<see cref="Source"/> groups of <paramref name="stride"/> values,
    /// e.g. the channels of a pixel) into <paramref name="destination"/> (<see cref="Target"/> groups).</summary>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination, int stride = 1)
    {
        if (source.Length < Source * stride) throw new ArgumentException($"{source.Length} values for {Source}×{stride}", nameof(source));
        if (destination.Length < Target * stride) throw new ArgumentException($"{destination.Length} values for {Target}×{stride}", nameof(destination));
        for (int i = 0; i < Target; i++)
        {
            int first = _first[i];
            var weights = Weights(i);
            for (int c = 0; c < stride; c++)
            {
                float sum = 0;
                for (int t = 0; t < weights.Length; t++) sum += weights[t] * source[(first + t) * stride + c];
                destination[i * stride + c] = sum;
            }
        }
    }
}
