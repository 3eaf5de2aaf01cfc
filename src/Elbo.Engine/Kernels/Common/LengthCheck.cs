namespace Elbo.Engine.Kernels.Common;

/// <summary>The length check every driver makes before touching memory.</summary>
internal static class LengthCheck
{
    public static void Same(string driver, int destination, int a)
    {
        if (a != destination)
            throw new ArgumentException($"{driver}: input of length {a} and destination of length {destination} differ");
    }

    public static void Same(string driver, int destination, int a, int b)
    {
        if (a != destination || b != destination)
            throw new ArgumentException($"{driver}: inputs of lengths {a}, {b} and destination of length {destination} differ");
    }

    public static void Same(string driver, int destination, int a, int b, int c)
    {
        if (a != destination || b != destination || c != destination)
            throw new ArgumentException($"{driver}: inputs of lengths {a}, {b}, {c} and destination of length {destination} differ");
    }

    public static void Same(string driver, int destination, int a, int b, int c, int e)
    {
        if (a != destination || b != destination || c != destination || e != destination)
            throw new ArgumentException($"{driver}: inputs of lengths {a}, {b}, {c}, {e} and destination of length {destination} differ");
    }
}
