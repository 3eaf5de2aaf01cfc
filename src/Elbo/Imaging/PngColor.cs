namespace Elbo.Imaging;

/// <summary>The pixel formats <see cref="PngWriter"/> encodes, both 8 bits per sample. The values are the PNG colour
/// type codes written into IHDR.</summary>
public enum PngColor
{
    /// <summary>One byte per pixel, greyscale (PNG colour type 0).</summary>
    Grey = 0,

    /// <summary>Three bytes per pixel, interleaved red, green, blue (PNG colour type 2).</summary>
    Rgb = 2,
}
