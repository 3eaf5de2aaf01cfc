namespace Elbo.Data;

/// <summary>Human names of the labels of the data sets Elbo knows, for legends.</summary>
public static class ClassNames
{
    /// <summary>Fashion-MNIST's ten classes, by label.</summary>
    public static IReadOnlyList<string> FashionMnist { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>MNIST's ten digits, by label.</summary>
    public static IReadOnlyList<string> Mnist { get; } = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    /// <summary>The label names of the data set named <paramref name="dataset"/> (a <c>--data</c> value or a
    /// config.json's dataset): Fashion-MNIST's classes, MNIST's digits, the ring's angle sectors; null for other data
    /// (whose labels are shown as numbers).</summary>
    public static IReadOnlyList<string>? For(string? dataset)
    {
        if (string.Equals(dataset, DataSource.FashionMnist, StringComparison.OrdinalIgnoreCase)) return FashionMnist;
        if (string.Equals(dataset, DataSource.Mnist, StringComparison.OrdinalIgnoreCase)) return Mnist;
        if (string.Equals(dataset, RingData.Name, StringComparison.OrdinalIgnoreCase)) return RingData.SectorNames;
        return null;
    }
}
