using System.Numerics.Tensors;

namespace Elbo.Engine.Kernels.Convolution;

/// <summary>col2im for one NCHW image, the adjoint of <see cref="Im2Col"/>: every element of the column matrix is added
/// back to the image position it was read from (entries that fell in the padding are dropped).</summary>
public static class Col2Im
{
    /// <summary>Adds the column matrix <paramref name="cols"/> (C·kh·kw, OutH·OutW) into <paramref name="image"/>
    /// (C,H,W). Clear the image first for a plain col2im.</summary>
    public static void Accumulate(ReadOnlySpan<float> cols, in ConvGeometry g, Span<float> image)
        => Accumulate(cols, g, image, g.OutH * g.OutW);

    /// <summary>Like <see cref="Accumulate(ReadOnlySpan{float}, in ConvGeometry, Span{float})"/> with the rows of the
    /// column matrix <paramref name="ldCols"/> elements apart (≥ OutH·OutW).</summary>
    public static void Accumulate(ReadOnlySpan<float> cols, in ConvGeometry g, Span<float> image, int ldCols)
    {
        Im2Col.Check(image, g, cols, ldCols);
        int h = g.Height, w = g.Width, s = g.Stride, p = g.Padding, outH = g.OutH, outW = g.OutW;
        int plane = h * w, colCols = outH * outW;
        int row = 0;
        for (int c = 0; c < g.Channels; c++)
        {
            var dst = image.Slice(c * plane, plane);
            for (int i = 0; i < g.KernelH; i++)
            {
                g.ValidRange(i, outH, h, out int yLo, out int yHi);
                for (int j = 0; j < g.KernelW; j++, row++)
                {
                    var srcRow = cols.Slice(row * ldCols, colCols);
                    g.ValidRange(j, outW, w, out int xLo, out int xHi);
                    int n = xHi - xLo;
                    if (n == 0) continue;
                    for (int oy = yLo; oy < yHi; oy++)
                    {
                        var src = srcRow.Slice(oy * outW + xLo, n);
                        int iy = oy * s - p + i;
                        int ix0 = xLo * s - p + j;
                        var dstRow = dst.Slice(iy * w, w);
                        if (s == 1)
                        {
                            var d = dstRow.Slice(ix0, n);
                            TensorPrimitives.Add(d, src, d);
                        }
                        else
                            for (int k = 0; k < n; k++) dstRow[ix0 + k * s] += src[k];
                    }
                }
            }
        }
    }

    /// <summary>The direct-loop reference of <see cref="Accumulate"/> (test oracle).</summary>
    public static void Naive(ReadOnlySpan<float> cols, in ConvGeometry g, Span<float> image)
    {
        Im2Col.Check(image, g, cols);
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
                            if (iy >= 0 && iy < g.Height && ix >= 0 && ix < g.Width)
                                image[(c * g.Height + iy) * g.Width + ix] += cols[row * colCols + oy * g.OutW + ox];
                        }
                }
    }
}
