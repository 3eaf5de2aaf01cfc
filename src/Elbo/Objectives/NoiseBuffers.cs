namespace Elbo.Objectives;

/// <summary>Standard normal noise in buffers that are reused: one for each of the last two shapes asked for, so an
/// epoch's short last batch allocates nothing either.</summary>
public sealed class NoiseBuffers
{
    private readonly Tensor?[] _slots = new Tensor?[2];

    /// <summary>A tensor of <paramref name="shape"/> (one row per example along the first dimension) filled with N(0, 1)
    /// draws from <paramref name="noise"/>.</summary>
    public Tensor Next(NoiseSource noise, params ReadOnlySpan<int> shape)
    {
        int slot = Fits(_slots[0], shape) ? 0 : Fits(_slots[1], shape) ? 1 : -1;
        if (slot < 0)
        {
            _slots[1] = _slots[0];
            _slots[0] = Tensor.Zeros(shape.ToArray());
            slot = 0;
        }
        var eps = _slots[slot]!;
        noise.Fill(eps.Data, shape[0]);
        return eps;
    }

    private static bool Fits(Tensor? t, ReadOnlySpan<int> shape) => t is not null && t.Shape.SequenceEqual(shape);
}
