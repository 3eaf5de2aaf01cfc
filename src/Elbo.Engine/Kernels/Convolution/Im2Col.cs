namespace Elbo.Engine.Kernels.Convolution;

/// <summary>im2col for one NCHW image: unfolds every kernel-sized patch into a column so that a convolution becomes a
/// GEMM, W (O, C·kh·kw) · cols (C·kh·kw, OutH·OutW). See <see cref="ConvGeometry"/> for the layout.</summary>
public static class Im2Col
{
    /// <summary>Writes the im2col matrix of <paramref name="image"/> (C,H,W) into <paramref name="cols"/>
    /// (C·kh·kw, OutH·OutW); every element is written.</summary>
    public static void Forward(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols)
        => Forward(image, g, cols, g.OutH * g.OutW);

    /// <summary>Like <see cref="Forward(ReadOnlySpan{float}, in ConvGeometry, Span{float})"/> with the rows of the
    /// column matrix <paramref name="ldCols"/> elements apart (≥ OutH·OutW), so the columns of a batch of images can
    /// sit side by side in one (C·kh·kw, N·OutH·OutW) matrix.</summary>
    public static void Forward(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols, int ldCols)
    {
        Check(image, g, cols, ldCols);
        int h = g.Height, w = g.Width, s = g.Stride, p = g.Padding, outH = g.OutH, outW = g.OutW;
        int plane = h * w, colCols = outH * outW;
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var src = image.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelH; i++)
            {
                g.ValidRange(i, outH, h, out int yLo, out int yHi);
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    var dstRow = cols.Slice(row * ldCols, colCols);
                    g.ValidRange(j, outW, w, out int xLo, out int xHi);
                    if (yLo > 0) dstRow[..(yLo * outW)].Clear();
                    if (yHi < outH) dstRow[(yHi * outW)..].Clear();
                    int n = xHi - xLo;
                    for (int oy = yLo; oy < yHi; oy++)
                    {
                        var dst = dstRow.Slice(oy * outW, outW);
                        if (xLo > 0) dst[..xLo].Clear();
                        if (xHi < outW) dst[xHi..].Clear();
                        if (n == 0) continue;
                        int iy = oy * s - p + i;
                        int ix0 = xLo * s - p + j;
                        var srcRow = src.Slice(iy * w, w);
                        if (s == 1) srcRow.Slice(ix0, n).CopyTo(dst.Slice(xLo, n));
                        else
                            for (int k = 0; k < n; k++) dst[xLo + k] = srcRow[ix0 + k * s];
                    }
                }
            }
        }
    }

    /// <summary>The direct-loop reference of <see cref="Forward"/> (test oracle).</summary>
    public static void Naive(ReadOnlySpan<float> image, in ConvGeometry g, Span<float> cols)
    {
        Check(image, g, cols);
        int colCols = g.OutH * g.OutW;
        for (int c = 0; c < g.Channels; c++)
            for (int i = 0; i < g.KernelH; i++)
                for (int j = 0; j < g.KernelW; j++)
                {
                    int row = (c * g.KernelH + i) * g.KernelW + j;
                    for (int oy = 0; oy < g.OutH; oy++)
                        for (int ox = 0; ox < g.OutW; ox++)
                        {
                            int iy = oy * g.Stride - g.Padding + i, ix = ox * g.Stride - g.Padding + j;
                            bool inside = iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width;
                            cols[row * colCols + oy * g.OutW + ox] = inside ? image[(c * g.Height + iy) * g.Width + ix] : 0f;
                        }
                }
    }

    internal static void Check(ReadOnlySpan<float> image, in ConvGeometry g, ReadOnlySpan<float> cols, int ldCols = -1)
    {
        int colCols = g.OutH * g.OutW;
        if (ldCols < 0) ldCols = colCols;
        if (ldCols < colCols)
            throw new ArgumentException($"im2col: row stride {ldCols} is smaller than the {colCols} output positions");
        if (image.Length < g.ImageSize)
            throw new ArgumentException($"im2col: image of {image.Length} elements is smaller than ({g.Channels},{g.Height},{g.Width})");
        if (g.ColRows > 0 && cols.Length < (long)(g.ColRows - 1) * ldCols + colCols)
            throw new ArgumentException($"im2col: cols of {cols.Length} elements is smaller than ({g.ColRows},{g.ColCols})");
    }
}
