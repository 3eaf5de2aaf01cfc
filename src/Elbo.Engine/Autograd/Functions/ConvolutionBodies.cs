using Elbo.Engine.Kernels.Convolution;
using Elbo.Engine.Threading;

namespace Elbo.Engine.Autograd.Functions;

/// <summary>Parallel loops of the batched convolution path, one item per image (or per destination block): the
/// column matrices of a batch sit side by side in one (K, N·L) matrix so that each GEMM covers the whole batch.</summary>
internal static class ConvolutionBodies
{
    /// <summary>cols[:, n·L:(n+1)·L] = im2col(image n) for every image; cols is (K, N·L).</summary>
    public struct Im2ColBatch : IParallelBody
    {
        public float[] Images, Cols;
        public ConvGeometry G;
        public int Batch;

        public void Invoke(int n)
        {
            int img = G.ImageSize, l = G.ColCols, ld = Batch * l;
            Im2Col.Forward(Images.AsSpan(n * img, img), G, Cols.AsSpan(n * l), ld);
        }
    }

    /// <summary>image n (= or +=) col2im(cols[:, n·L:(n+1)·L]), the image first set to its per-channel bias
    /// (when given) or cleared (when <see cref="Overwrite"/>).</summary>
    public struct Col2ImBatch : IParallelBody
    {
        public float[] Cols, Images;
        public float[]? Bias;
        public bool Overwrite;
        public ConvGeometry G;
        public int Batch;

        public void Invoke(int n)
        {
            int img = G.ImageSize, l = G.ColCols, ld = Batch * l;
            var image = Images.AsSpan(n * img, img);
            if (Bias != null) ConvolutionSupport.FillBias(image, Bias, G.Channels, G.Height * G.Width);
            else if (Overwrite) image.Clear();
            Col2Im.Accumulate(Cols.AsSpan(n * l), G, image, ld);
        }
    }

    /// <summary>dst (B, A, L) = or += src (A, B, L) with the blocks swapped, plus bias[a] when given; one item per b.</summary>
    public struct BlockTranspose : IParallelBody
    {
        public float[] Src, Dst;
        public float[]? Bias;
        public bool Add;
        public int A, B, L;

        public void Invoke(int b)
        {
            for (int a = 0; a < A; a++)
            {
                var src = Src.AsSpan((a * B + b) * L, L);
                var dst = Dst.AsSpan((b * A + a) * L, L);
                if (Bias != null) System.Numerics.Tensors.TensorPrimitives.Add(src, Bias[a], dst);
                else if (Add) System.Numerics.Tensors.TensorPrimitives.Add(dst, src, dst);
                else src.CopyTo(dst);
            }
        }
    }
}
