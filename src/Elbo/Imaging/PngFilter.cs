namespace Elbo.Imaging;

/// <summary>How <see cref="PngWriter"/> chooses the filter of each scanline. <see cref="Adaptive"/> is what the public
/// API uses; the fixed modes exist so tests can exercise every filter type.</summary>
internal enum PngFilterMode
{
    /// <summary>Per row, the filter whose output has the smallest sum of absolute values when its bytes are read as
    /// signed (libpng's heuristic); ties go to the lower filter type.</summary>
    Adaptive = -1,

    /// <summary>Filter type 0: bytes as they are.</summary>
    None = 0,

    /// <summary>Filter type 1: difference to the byte one pixel to the left.</summary>
    Sub = 1,

    /// <summary>Filter type 2: difference to the byte above.</summary>
    Up = 2,

    /// <summary>Filter type 3: difference to the floor of the mean of left and above.</summary>
    Average = 3,

    /// <summary>Filter type 4: difference to the Paeth predictor of left, above and upper-left.</summary>
    Paeth = 4,
}
