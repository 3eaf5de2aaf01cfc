using System.Text.Json.Serialization;

namespace Elbo.Data;

/// <summary>The colour of the pictures an image folder is turned into.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageColor>))]
public enum ImageColor
{
    /// <summary>Three planes, red, green, blue (grey pictures are repeated into all three).</summary>
    Rgb,
    /// <summary>One plane: the luma 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601, what PIL's <c>convert("L")</c> uses).</summary>
    Grey,
}

/// <summary>What transparent pixels are composited over.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageBackground>))]
public enum ImageBackground
{
    /// <summary>Black (0): PIL's and torchvision's <c>convert("RGB")</c> drop alpha, which shows premultiplied-black edges.</summary>
    Black,
    /// <summary>White (255), for icons and drawings on a transparent canvas.</summary>
    White,
}

/// <summary>
/// How the pictures of an image folder become examples, as PyTorch-VAE prepares CelebA (a centre crop, a resize to
/// 64×64, RGB) generalized: every picture is composited over <see cref="Background"/>, centre-cropped to a
/// <see cref="Crop"/>×<see cref="Crop"/> square, area-resampled to <see cref="ImageSize"/>×<see cref="ImageSize"/> and
/// kept in <see cref="Color"/>. A null field was not given and takes its default (<see cref="Resolve"/>); config.json
/// stores the resolved values, so later commands prepare the pictures the same way.
/// </summary>
public sealed record ImageFolderOptions
{
    /// <summary>The side of the square examples when not given: 64, PyTorch-VAE's CelebA size.</summary>
    public const int DefaultImageSize = 64;

    /// <summary>The largest side <see cref="ImageSize"/> and <see cref="Crop"/> may take.</summary>
    public const int MaxSide = 4096;

    /// <summary>The side of the square examples, pixels (default <see cref="DefaultImageSize"/>).</summary>
    public int? ImageSize { get; init; }

    /// <summary>The side of the centred square cut from each picture before resizing, in the picture's pixels (null:
    /// the largest centred square, the shorter side). A crop larger than a picture pads it with the background, as
    /// torchvision's <c>CenterCrop</c> pads.</summary>
    public int? Crop { get; init; }

    /// <summary>RGB or grey (default RGB).</summary>
    public ImageColor? Color { get; init; }

    /// <summary>What transparent pixels are composited over (default black).</summary>
    public ImageBackground? Background { get; init; }

    /// <summary>These options with every default filled in.</summary>
    /// <exception cref="SettingException">A size is not positive or above <see cref="MaxSide"/>.</exception>
    public ImageFolderOptions Resolve()
    {
        var resolved = this with
        {
            ImageSize = ImageSize ?? DefaultImageSize,
            Color = Color ?? ImageColor.Rgb,
            Background = Background ?? ImageBackground.Black,
        };
        resolved.Validate();
        return resolved;
    }

    /// <summary>Throws a <see cref="SettingException"/> (imageSize, crop) for a side that is not in 1..<see cref="MaxSide"/>.</summary>
    public void Validate()
    {
        if (ImageSize is { } size && (size < 1 || size > MaxSide))
            throw new SettingException("imageSize", $"must be between 1 and {MaxSide} pixels, got {size}");
        if (Crop is { } crop && (crop < 1 || crop > 8 * MaxSide))
            throw new SettingException("crop", $"must be between 1 and {8 * MaxSide} pixels, got {crop}");
    }

    /// <summary>Whether any field was given (an image folder's setting given for other data is refused).</summary>
    [JsonIgnore]
    public bool AnyGiven => ImageSize is not null || Crop is not null || Color is not null || Background is not null;

    /// <summary>The shape of the examples these options make (on resolved options).</summary>
    public DataShape Shape()
    {
        int size = ImageSize ?? DefaultImageSize;
        return (Color ?? ImageColor.Rgb) == ImageColor.Grey ? DataShape.Grey(size, size) : DataShape.Rgb(size, size);
    }

    /// <summary>One line for logs and the report: "64×64 RGB, centre crop 148, over black".</summary>
    public override string ToString()
    {
        int size = ImageSize ?? DefaultImageSize;
        string crop = Crop is { } c ? $"centre crop {c}" : "largest centred square";
        string color = (Color ?? ImageColor.Rgb) == ImageColor.Grey ? "grey" : "RGB";
        string background = (Background ?? ImageBackground.Black) == ImageBackground.White ? "white" : "black";
        return $"{size}×{size} {color}, {crop}, alpha over {background}";
    }
}
