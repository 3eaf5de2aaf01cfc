namespace Elbo.Engine.Kernels.Convolution;

/// <summary>
/// The geometry of one image of a 2-D convolution (NCHW, one image at a time): the image is (C,H,W), the kernel
/// kh×kw slides with <see cref="Stride"/> over the image zero-padded by <see cref="Padding"/> on every side, giving
/// OutH×OutW output positions. The im2col matrix is (C·kh·kw, OutH·OutW): row (c·kh + i)·kw + j, column oy·OutW + ox
/// holds image[c, oy·s − p + i, ox·s − p + j] (zero outside the image).
/// </summary>
public readonly struct ConvGeometry
{
    /// <summary>Channels of the image.</summary>
    public readonly int Channels;
    /// <summary>Image height.</summary>
    public readonly int Height;
    /// <summary>Image width.</summary>
    public readonly int Width;
    /// <summary>Kernel height.</summary>
    public readonly int KernelH;
    /// <summary>Kernel width.</summary>
    public readonly int KernelW;
    /// <summary>Step between output positions (both directions).</summary>
    public readonly int Stride;
    /// <summary>Zero padding on each side (both directions).</summary>
    public readonly int Padding;
    /// <summary>Output height (H + 2p − kh)/s + 1.</summary>
    public readonly int OutH;
    /// <summary>Output width (W + 2p − kw)/s + 1.</summary>
    public readonly int OutW;

    /// <summary>The geometry of a kh×kw kernel with the given stride and padding over a (C,H,W) image. The caller
    /// validates the arguments (stride ≥ 1, padding ≥ 0, kernel no larger than the padded image).</summary>
    public ConvGeometry(int channels, int height, int width, int kernelH, int kernelW, int stride, int padding)
    {
        Channels = channels;
        Height = height;
        Width = width;
        KernelH = kernelH;
        KernelW = kernelW;
        Stride = stride;
        Padding = padding;
        OutH = (height + 2 * padding - kernelH) / stride + 1;
        OutW = (width + 2 * padding - kernelW) / stride + 1;
    }

    /// <summary>Rows of the im2col matrix: C·kh·kw.</summary>
    public int ColRows => Channels * KernelH * KernelW;

    /// <summary>Columns of the im2col matrix: OutH·OutW.</summary>
    public int ColCols => OutH * OutW;

    /// <summary>Elements of one image: C·H·W.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary><see cref="ValidRange"/> of every kernel row (output rows against the image's height) into
    /// <paramref name="rows"/> and of every kernel column (output columns against its width) into
    /// <paramref name="cols"/>: ranges[2t] = lo, ranges[2t + 1] = hi of tap t. The im2col and col2im loops take them
    /// once per image instead of once per channel and tap (two integer divisions each: 1.7 % of the conv step's samples
    /// on Zen 3).</summary>
    internal void ValidRanges(Span<int> rows, Span<int> cols)
    {
        for (int i = 0; i < KernelH; i++) ValidRange(i, OutH, Height, out rows[2 * i], out rows[2 * i + 1]);
        for (int j = 0; j < KernelW; j++) ValidRange(j, OutW, Width, out cols[2 * j], out cols[2 * j + 1]);
    }

    /// <summary>The output columns ox whose input column ox·s − p + j lies inside the image: [lo, hi).</summary>
    internal void ValidRange(int j, int outSize, int inSize, out int lo, out int hi)
    {
        int s = Stride, p = Padding;
        lo = p - j <= 0 ? 0 : (p - j + s - 1) / s;
        int last = inSize - 1 + p - j;
        hi = last < 0 ? 0 : last / s + 1;
        if (hi > outSize) hi = outSize;
        if (lo > outSize) lo = outSize;
        if (hi < lo) hi = lo;
    }
}
